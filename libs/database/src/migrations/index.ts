import { InitialSchema1732300000000 } from './1732300000000-initial-schema';
import { OperationsConsole1732400000000 } from './1732400000000-operations-console';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1732300000000, OperationsConsole1732400000000];
