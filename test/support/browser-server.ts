import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, BrowserServer } from 'playwright-core';
import { BROWSER_ENDPOINT_ENV, chromiumLaunchOptions } from './browser';
import { REPO_ROOT } from './processes';

/**
 * The one Chromium of an e2e run: started by the global setup when the run selects a browser
 * spec, connected to by each browser test file (`launchBrowser`), closed by the global teardown.
 * Starting Chromium once instead of once per file saves its start-up on a busy machine; every
 * file still gets contexts of its own, so no cookie, storage or page is shared.
 */
let server: BrowserServer | undefined;

/**
 * Whether Jest's path pattern (empty = every spec) selects a spec under test/browser. A guess
 * either way costs little: a file that finds no shared Chromium starts one of its own.
 */
export function runSelectsBrowserSpecs(testPathPattern: string): boolean {
  const dir = join(REPO_ROOT, 'test/browser');
  const pattern = new RegExp(testPathPattern, 'i');
  return readdirSync(dir).some((name) => name.endsWith('.e2e-spec.ts') && pattern.test(join(dir, name)));
}

export async function startSharedBrowser(): Promise<void> {
  server = await chromium.launchServer(chromiumLaunchOptions());
  process.env[BROWSER_ENDPOINT_ENV] = server.wsEndpoint();
}

export async function stopSharedBrowser(): Promise<void> {
  await server?.close();
  server = undefined;
  delete process.env[BROWSER_ENDPOINT_ENV];
}
