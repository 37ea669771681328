import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, assertConsoleBuilt, launchBrowser, recordOutsideRequests } from '../support/browser';
import { DEMO_PASSWORD, TestStack } from '../support/stack';
import { EventFactory } from '../support/factories';

describe('console (headless Chromium): the live feed', () => {
  const stack = new TestStack();
  let browser: Browser;
  let page: Page;
  const outsideRequests: string[] = [];

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    recordOutsideRequests(page, stack.apiUrl, outsideRequests);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('logs in and shows events posted to the API within 2 seconds, without personal data', async () => {
    await page.goto(stack.apiUrl);
    await page.getByTestId('login-username').fill('mong-cai.duty');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await expectText(page, 'header-unit', /Móng Cái/);

    const report = EventFactory.reportReceived().inUnit('194').build();
    const elsewhere = EventFactory.caseConfirmed().inUnit('193').build();
    const posted = Date.now();
    await stack.postEvents('province.duty', [report, elsewhere]);
    await page.locator(`[data-testid="feed-item"][data-event-id="${report.id}"]`).waitFor({ timeout: 2000 });
    expect(Date.now() - posted).toBeLessThan(2000);
    // The Hạ Long event is not this district's: it never reaches the Móng Cái console.
    expect(await page.locator(`[data-event-id="${elsewhere.id}"]`).count()).toBe(0);
    expect(await page.content()).not.toContain('0912 345 678');
    await page.screenshot({ path: join(ARTIFACTS, 'console-feed-live.png') });
  });

  it('keeps the session across a reload and switches to English', async () => {
    await page.reload();
    await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 10_000 });
    const before = await page.getByTestId('logout').innerText();
    await page.getByTestId('language-switch').click();
    await page.locator('[data-testid="language-switch"][data-lang="en"]').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('logout').innerText()).not.toBe(before);
    await page.screenshot({ path: join(ARTIFACTS, 'console-feed-english.png') });
  });

  it('made no request outside the machine', () => {
    expect(outsideRequests).toEqual([]);
  });
});

async function expectText(page: Page, testId: string, pattern: RegExp): Promise<void> {
  expect(await page.getByTestId(testId).innerText()).toMatch(pattern);
}
