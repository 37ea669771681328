import { AdminUnitEntity } from './admin-unit.entity';
import { UserEntity } from './user.entity';

export { AdminUnitEntity, UserEntity };
export const ENTITIES = [AdminUnitEntity, UserEntity];
