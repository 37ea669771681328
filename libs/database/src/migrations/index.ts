import { InitialSchema1732300000000 } from './1732300000000-initial-schema';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1732300000000];
