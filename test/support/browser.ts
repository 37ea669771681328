import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path, { join } from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
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

export interface LaunchOptions {
  /**
   * Keep Chromium's GPU process (WebGL and compositing on SwiftShader) instead of
   * `--disable-gpu`, which composites in software and reads every WebGL frame back on the main
   * thread. For benchmarks that want the pipeline a machine with a GPU has; tests keep the default.
   */
  gpuCompositing?: boolean;
}

/** Set by the e2e global setup when the run has browser specs: the shared Chromium's endpoint. */
export const BROWSER_ENDPOINT_ENV = 'FRONTLINE_TEST_BROWSER_WS';

/** How Debian's Chromium is started: headless, with no background traffic to the outside world. */
export function chromiumLaunchOptions(options: LaunchOptions = {}): { executablePath: string; headless: boolean; args: string[] } {
  return {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      ...(options.gpuCompositing ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu']),
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}

/**
 * A browser for one test file. Under Jest the run's one Chromium (started by the global setup)
 * is connected to, saving a start per file; `close()` then closes this file's contexts only and
 * disconnects. Alone (benchmarks) or with GPU compositing, a Chromium of its own is started.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const endpoint = options.gpuCompositing ? undefined : process.env[BROWSER_ENDPOINT_ENV];
  const browser = endpoint ? await chromium.connect(endpoint) : await chromium.launch(chromiumLaunchOptions(options));
  recordBrowserBuild(browser, endpoint ? 'shared' : 'own');
  return browser;
}

/**
 * Which Chromium build the browser tests ran on (Debian updates it under us): one line per
 * test file in test/artifacts/chromium-builds.log, so a failure can be put beside its build.
 */
function recordBrowserBuild(browser: Browser, which: 'shared' | 'own'): void {
  // Benches launch it too, outside jest (no `expect` there): they name their script.
  const test =
    (typeof expect === 'undefined' ? process.argv[1] : expect.getState().testPath) ?? 'unknown test file';
  appendFileSync(
    join(ARTIFACTS, 'chromium-builds.log'),
    `${new Date().toISOString()} Chromium ${browser.version()} (${which}) ${path.relative(REPO_ROOT, test)}\n`,
  );
}

/**
 * The console's production build is there. A development build (built with NODE_ENV=development
 * in the environment) runs React's StrictMode checks, which mount every screen twice: each read
 * is made twice and the warmed-up map is thrown away, so the tests would measure another app.
 */
export function assertConsoleBuilt(): void {
  const assets = join(REPO_ROOT, 'apps/console/dist/assets');
  if (!existsSync(join(REPO_ROOT, 'apps/console/dist/index.html')) || !existsSync(assets)) {
    throw new Error('apps/console/dist is missing: run `npm test` (it builds first) or `npm run build:console`');
  }
  const development = readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .some((name) => readFileSync(join(assets, name), 'utf8').includes('jsxDEV'));
  if (development) {
    throw new Error('apps/console/dist is a development build: rebuild it with `npm run build:console` (it sets NODE_ENV=production)');
  }
}

/**
 * Collects every request a page makes to anything but `origin`. data: URLs and the origin's own
 * blob: URLs (the map's point layers) never leave the browser.
 */
export function recordOutsideRequests(page: Page, origin: string, into: string[]): void {
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith(`blob:${origin}/`)) into.push(url);
  });
}

/** Opens the console at `path` and signs in; resolves once the live link says `live`. */
export async function signIn(page: Page, origin: string, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${origin}${path}`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 15_000 });
}
