import { Client } from 'pg';
import { stopSharedBrowser } from './browser-server';
import { TEST_RUN_ENV, templateDbName } from './run-id';

/** Closes the run's Chromium and drops its template database (see stack.ts). */
export default async function globalTeardown(): Promise<void> {
  await stopSharedBrowser();
  const run = process.env[TEST_RUN_ENV];
  if (!run) return;
  const admin = new Client({
    connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDbName(run)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
