// npm run migrate: applies pending migrations under an advisory lock.
import { existsSync } from 'node:fs';
import { createDataSource, runMigrationsLocked } from '@frontline/database';

async function main(): Promise<void> {
  if (process.env.FRONTLINE_SKIP_DOTENV !== '1' && existsSync('.env')) process.loadEnvFile('.env');
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/frontline';
  const dataSource = await createDataSource(url, 2).initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: Error) => {
  console.error(`migration failed: ${err.message}`);
  process.exit(1);
});
