import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { REPO_ROOT } from './processes';

export const ARTIFACTS = join(REPO_ROOT, 'test/artifacts');

function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execSync('command -v chromium || command -v chromium-browser', { encoding: 'utf8', shell: '/bin/sh' }).trim();
  } catch {
    throw new Error('Chromium not found: install Debian\'s `chromium` (npm test does it as root) or set CHROMIUM_PATH');
  }
}

/** Debian's Chromium, headless, with no background traffic to the outside world. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export function assertConsoleBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'apps/console/dist/index.html'))) {
    throw new Error('apps/console/dist is missing: run `npm test` (it builds first) or `npm run build:console`');
  }
}
