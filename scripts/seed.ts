// npm run seed: the demo province (units with approximate districts) and demo accounts.
import { existsSync } from 'node:fs';
import { createDataSource, seedDemoAccounts, seedDemoRoster, seedDemoTeams, seedUnits } from '@frontline/database';

async function main(): Promise<void> {
  if (process.env.FRONTLINE_SKIP_DOTENV !== '1' && existsSync('.env')) process.loadEnvFile('.env');
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/frontline';
  const password = process.env.FRONTLINE_DEMO_PASSWORD || 'frontline-demo';
  const dataSource = await createDataSource(url, 2).initialize();
  try {
    const units = await seedUnits(dataSource);
    console.log(`units: ${JSON.stringify(units)}`);
    const accounts = await seedDemoAccounts(dataSource, password, process.env.NODE_ENV ?? 'development');
    console.log(`demo accounts (${accounts.length}): ${accounts.map((a) => a.username).join(', ')}`);
    console.log(`duty rosters: ${JSON.stringify(await seedDemoRoster(dataSource))}`);
    console.log(`dispatch teams: ${JSON.stringify(await seedDemoTeams(dataSource))}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: Error) => {
  console.error(`seed failed: ${err.message}`);
  process.exit(1);
});
