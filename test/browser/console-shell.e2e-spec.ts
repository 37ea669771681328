import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, assertConsoleBuilt, launchBrowser, recordOutsideRequests, signIn } from '../support/browser';
import { EventFactory, DISTRICTS } from '../support/factories';
import { DEMO_PASSWORD, TestStack } from '../support/stack';

const MC = DISTRICTS.mongCai;

/** What the test reads of the page's resource timing entries (no DOM types here). */
type ResourceEntry = { name: string; startTime: number; encodedBodySize: number; decodedBodySize: number };

/**
 * The console as one application (issue 14): the session shell outlives the screens. Moving
 * between every screen from the menu and back is client-side (one page load, one WebSocket for
 * the whole session), no read is made twice as a screen loads, deep links survive a reload, and
 * an urgent report rings and shows its banner on a screen without the feed.
 */
describe('console shell and router (headless Chromium)', () => {
  const stack = new TestStack();
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  const sockets: string[] = [];
  let loads = 0;
  /** API reads made since the last mark, and the ones the browser aborted. */
  let reads: string[] = [];
  let aborted: string[] = [];
  /** API requests sent and not yet answered. */
  let inFlight = 0;

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(page, stack.apiUrl, outside);
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('load', () => (loads += 1));
    const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
    page.on('request', (req) => {
      if (!isApi(req.url())) return;
      inFlight += 1;
      if (req.method() === 'GET') reads.push(req.url());
    });
    page.on('requestfinished', (req) => {
      if (isApi(req.url())) inFlight -= 1;
    });
    page.on('requestfailed', (req) => {
      if (isApi(req.url())) inFlight -= 1;
      if (req.failure()?.errorText.includes('ERR_ABORTED')) aborted.push(req.url());
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  function mark(): void {
    reads = [];
    aborted = [];
  }

  /** Until no API request has been in flight for half a second (the screen's reads are done). */
  async function readsSettled(): Promise<void> {
    const deadline = Date.now() + 15_000;
    let quietSince = Date.now();
    while (Date.now() - quietSince < 500) {
      if (Date.now() > deadline) throw new Error(`API requests still in flight: ${inFlight}`);
      await page.waitForTimeout(50);
      if (inFlight > 0) quietSince = Date.now();
    }
  }

  /**
   * Waits for a screen, then checks that it asked for nothing twice and aborted nothing. The
   * roster screen has no live connection indicator (it is the schedule, not the live desk).
   */
  async function expectScreen(testId: string, { live = true } = {}): Promise<void> {
    await page.getByTestId(testId).waitFor({ timeout: 15_000 });
    if (live) await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout: 15_000 });
    await readsSettled();
    const twice = reads.filter((url, i) => reads.indexOf(url) !== i);
    expect({ screen: testId, twice, aborted }).toEqual({ screen: testId, twice: [], aborted: [] });
    mark();
  }

  it('moves through every screen from the menu and back with one page load and one WebSocket', async () => {
    await signIn(page, stack.apiUrl, MC.account, DEMO_PASSWORD, '/');
    await expectScreen('console');
    for (const [entry, screen] of [
      ['cases-entry', 'cases-screen'],
      ['dispatch-entry', 'dispatch-screen'],
      ['lab-entry', 'lab-screen'],
      ['screening-entry', 'screening-screen'],
    ]) {
      await page.getByTestId('screens-menu').click();
      await page.getByTestId(entry).click();
      await expectScreen(screen);
      await page.goBack();
      await expectScreen('console');
    }
    await page.getByTestId('roster-entry').click();
    // Its reads are done before it is left: leaving a screen early aborts them, by design.
    await expectScreen('roster-screen', { live: false });
    await page.getByTestId('roster-back').click();
    await expectScreen('console');

    expect(loads).toBe(1);
    expect(sockets.filter((url) => url.includes('/socket.io/'))).toHaveLength(1);
  });

  it('opens a deep link to a filtered case list and to a task after a reload', async () => {
    await page.goto(`${stack.apiUrl}/cases?classification=F1`);
    await page.getByTestId('cases-screen').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('cases-filter-classification').inputValue()).toBe('F1');
    await page.getByTestId('cases-filter-classification').selectOption('F0');
    await page.waitForURL(/classification=F0/);
    await page.reload();
    await page.getByTestId('cases-screen').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('cases-filter-classification').inputValue()).toBe('F0');

    const task = await stack.request('POST', '/api/v1/dispatch/tasks', MC.account, {
      type: 'disinfection',
      unit: MC.code,
      place: { lat: 21.52, lon: 107.95 },
      priority: 'high',
    });
    expect(task.status).toBe(201);
    await page.goto(`${stack.apiUrl}/dispatch/timeline/task/${task.body.task.id as string}`);
    await page.getByTestId('dispatch-timeline').waitFor({ timeout: 15_000 });
    await page.reload();
    await page.locator('[data-testid="dispatch-timeline-step"][data-type="task.created"]').waitFor({ timeout: 15_000 });
  });

  it('rings and shows the banner of an urgent report posted while the officer is on /cases', async () => {
    mark();
    await page.goto(`${stack.apiUrl}/`);
    await expectScreen('console');
    await page.getByTestId('screens-menu').click();
    await page.getByTestId('cases-entry').click();
    await expectScreen('cases-screen');
    const before = sockets.length;
    await stack.postEvents('province.duty', [EventFactory.reportReceived().inUnit(MC.code).build()]);
    const banner = page.getByTestId('urgent-banner');
    await banner.waitFor({ timeout: 10_000 });
    expect(Number(await banner.getAttribute('data-rings'))).toBeGreaterThanOrEqual(1);
    expect(await banner.innerText()).toContain('chưa tiếp nhận');
    expect(await page.content()).not.toContain('0912 345 678');
    await page.screenshot({ path: join(ARTIFACTS, 'console-shell-urgent-banner.png') });
    // Its link opens the desk, on the same socket.
    await page.getByTestId('urgent-banner-open').click();
    await page.locator(`[data-testid="feed-item"]`).first().waitFor({ timeout: 10_000 });
    expect(sockets.length).toBe(before);
  });

  it('makes the sign-in page usable after under 150 KB of script on the wire (compressed)', async () => {
    // A page of its own: a fresh cache, as a first visit.
    const fresh = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(fresh, stack.apiUrl, outside);
    await fresh.goto(stack.apiUrl);
    await fresh.getByTestId('login-submit').waitFor();
    const budget = await fresh.evaluate(() => {
      const ready = performance.getEntriesByName('login:ready')[0]?.startTime ?? Infinity;
      const scripts = (performance.getEntriesByType('resource') as unknown as ResourceEntry[]).filter(
        (entry) => /\.m?js$/.test(new URL(entry.name).pathname) && entry.startTime <= ready,
      );
      return {
        ready,
        files: scripts.length,
        wire: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
        decoded: scripts.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
      };
    });
    console.log(`sign-in page: ${budget.files} scripts, ${(budget.wire / 1024).toFixed(1)} KB on the wire, ${(budget.decoded / 1024).toFixed(1)} KB decoded, ready at ${budget.ready.toFixed(0)} ms`);
    expect(budget.ready).toBeLessThan(Infinity);
    expect(budget.wire).toBeGreaterThan(0);
    expect(budget.wire).toBeLessThan(150 * 1024);
    // What it loaded is compressed: the api served the build's brotli copies.
    expect(budget.decoded).toBeGreaterThan(budget.wire * 2);
    await fresh.close();
  });

  it('made no request outside the machine', () => {
    expect(outside).toEqual([]);
  });
});
