import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { DEMO_PASSWORD, TestStack } from '../support/stack';

describe('dbg', () => {
  const stack = new TestStack();
  let browser: Browser;
  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });
  it('dbg', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.RATE ?? 4) });
    const t0 = Date.now();
    page.on('console', (m) => console.log(Date.now() - t0, 'PAGE', m.text().slice(0, 1500)));
    page.on('request', (r) => { if (r.url().includes('/api/')) console.log(Date.now() - t0, 'REQ', r.url()); });
    page.on('requestfailed', (r) => console.log(Date.now() - t0, 'FAILED', r.url(), r.failure()?.errorText));
    await page.goto(`${stack.apiUrl}/?testHooks=1`);
    await page.waitForFunction(() => performance.getEntriesByName('map:warmed').length > 0, undefined, { timeout: 60_000 });
    console.log(Date.now() - t0, 'warmed');
    await page.getByTestId('login-username').fill('province.duty');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForFunction(() => !!(globalThis as any).__frontlineMap, undefined, { timeout: 90_000 });
    await page.waitForTimeout(3000);
    console.log(Date.now() - t0, 'done');
  }, 200_000);
});
