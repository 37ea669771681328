import { randomBytes } from 'node:crypto';
import { runSelectsBrowserSpecs, startSharedBrowser } from './browser-server';
import { assertBuilt } from './processes';
import { TEST_RUN_ENV } from './run-id';

/**
 * e2e tests spawn the built api and worker: fail early with a clear message if they are missing.
 * Names the run: the first TestStack of the run migrates and seeds a template database for it,
 * the others start from a copy (stack.ts); global-teardown.ts drops it. Starts the run's one
 * Chromium when browser specs are selected (browser-server.ts).
 */
export default async function globalSetup(globalConfig: { testPathPattern: string }): Promise<void> {
  assertBuilt();
  process.env[TEST_RUN_ENV] = randomBytes(4).toString('hex');
  if (process.env.FRONTLINE_SKIP_BROWSER !== '1' && runSelectsBrowserSpecs(globalConfig.testPathPattern)) await startSharedBrowser();
}
