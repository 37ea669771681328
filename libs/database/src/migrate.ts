import { DataSource } from 'typeorm';

/** Any fixed 64-bit key: every process that migrates takes the same lock. */
const MIGRATION_LOCK_KEY = 7_312_022_021;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so two processes started
 * together (two api instances, api + CLI) never migrate concurrently.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
