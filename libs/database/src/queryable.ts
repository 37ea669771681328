import type { DataSource, EntityManager } from 'typeorm';

/**
 * What a repository method runs its SQL on: the DataSource for a plain read, or the
 * EntityManager of the caller's transaction when the read or write belongs to it.
 */
export type Queryable = DataSource | EntityManager;
