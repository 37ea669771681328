import { randomBytes } from 'node:crypto';
import { assertBuilt } from './processes';
import { TEST_RUN_ENV } from './run-id';

/**
 * e2e tests spawn the built api and worker: fail early with a clear message if they are missing.
 * Names the run: the first TestStack of the run migrates and seeds a template database for it,
 * the others start from a copy (stack.ts); global-teardown.ts drops it.
 */
export default function globalSetup(): void {
  assertBuilt();
  process.env[TEST_RUN_ENV] = randomBytes(4).toString('hex');
}
