import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { HOUR_MS } from '@frontline/roster';
import {
  ARTIFACTS,
  assertConsoleBuilt,
  launchBrowser,
  recordOutsideRequests,
  signIn,
} from '../support/browser';
import { DISTRICTS } from '../support/factories';
import { DEMO_PASSWORD, TestStack } from '../support/stack';

/**
 * The console's roster view (/roster) and the live coverage-gap notices (headless Chromium):
 * who is on duty now and next per center and position, the gaps ahead, a notice when a
 * `coverage.gap-detected` arrives (urgent ones as an alert), Vietnamese with an English switch.
 */
describe('console roster view and gap notices (headless Chromium)', () => {
  const stack = new TestStack();
  let browser: Browser;
  let page: Page;
  let centerId: string;
  const outside: string[] = [];

  /** The Móng Cái center's people on `position` at `at` (the on-duty API). */
  async function onDuty(position: string, at: number): Promise<{ people: string[]; end: string }> {
    const res = await stack.request(
      'GET',
      `/api/v1/roster/on-duty?unit=${DISTRICTS.mongCai.code}&at=${new Date(at).toISOString()}`,
      'province.commander',
    );
    const c = res.body.centers.find((x: { centerId: string }) => x.centerId === centerId);
    const p = c.positions.find((x: { position: string }) => x.position === position);
    return { people: p.people.map((x: { staffId: string }) => x.staffId), end: p.shiftEnd };
  }

  async function leave(staffId: string, from: number, to: number): Promise<void> {
    const res = await stack.request('POST', '/api/v1/roster/leave', 'province.commander', {
      staffId,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      reason: 'Ốm',
    });
    expect(res.status).toBe(201);
  }

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    const { rows } = await stack.db.query(
      `SELECT id FROM command_centers WHERE unit_code = $1 AND public ORDER BY created_at LIMIT 1`,
      [DISTRICTS.mongCai.code],
    );
    centerId = (rows[0] as { id: string }).id;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(page, stack.apiUrl, outside);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('opens the roster from the console: on duty now and next, per center and position, in Vietnamese', async () => {
    await signIn(page, stack.apiUrl, DISTRICTS.mongCai.account, DEMO_PASSWORD);
    await page.getByTestId('roster-entry').click();
    await page.getByTestId('roster-screen').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/roster');
    expect(await page.getByTestId('roster-title').innerText()).toBe('Lịch trực ban 24/7');
    const center = page.locator(`[data-testid="roster-center"][data-center-id="${centerId}"]`);
    await center.waitFor({ timeout: 10_000 });
    const rows = center.locator('[data-testid="roster-position"]');
    expect(await rows.count()).toBe(4);
    expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-position')))).toEqual([
      'commander',
      'duty-officer',
      'medical-duty',
      'police-duty',
    ]);
    const police = center.locator('[data-testid="roster-position"][data-position="police-duty"]');
    expect(await police.getAttribute('data-understaffed')).toBe('false');
    expect(await police.innerText()).toMatch(/Trực công an/);
    // Names of the people on duty now and on the next shift (the seeded roster is full).
    await center
      .locator('[data-testid="roster-next-people"]')
      .first()
      .filter({ hasNotText: '—' })
      .waitFor({ timeout: 10_000 });
    expect(await police.getByTestId('roster-now-people').innerText()).not.toMatch(
      /Không có người trực/,
    );
    expect(await police.getByTestId('roster-next-people').innerText()).not.toMatch(
      /Không có người trực|—/,
    );
    expect(await page.getByTestId('roster-gaps').innerText()).toMatch(/Không có khoảng trống nào/);
    await page.screenshot({ path: join(ARTIFACTS, 'console-roster.png'), fullPage: true });
  });

  it('a gap detected live shows a notice and appears in the gaps ahead; an urgent one is an alert', async () => {
    // The police officer of a shift a day ahead goes on leave: a gap, not urgent.
    const later = Math.ceil((Date.now() + 24 * HOUR_MS) / (12 * HOUR_MS)) * 12 * HOUR_MS;
    const [laterOfficer] = (await onDuty('police-duty', later + HOUR_MS)).people;
    await leave(laterOfficer, later, later + 12 * HOUR_MS);
    const notice = page.locator('[data-testid="gap-notice"][data-urgent="false"]');
    await notice.waitFor({ timeout: 5000 });
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await notice.innerText()).toMatch(/Thiếu người trực: Trực công an – Móng Cái/);
    const gap = page.locator(`[data-testid="roster-gap"][data-center-id="${centerId}"]`);
    await gap.waitFor({ timeout: 5000 });
    expect(await gap.getAttribute('data-urgent')).toBe('false');

    // The officer on duty now leaves: the gap has started, it is urgent.
    const now = Date.now();
    const current = await onDuty('police-duty', now);
    await leave(current.people[0], now - 60_000, Date.parse(current.end));
    const urgent = page.locator('[data-testid="gap-notice"][data-urgent="true"]');
    await urgent.waitFor({ timeout: 5000 });
    expect(await urgent.getAttribute('role')).toBe('alert');
    expect(await urgent.innerText()).toMatch(/^KHẨN/);
    // The urgent notice comes first.
    expect(
      await page.locator('[data-testid="gap-notice"]').first().getAttribute('data-urgent'),
    ).toBe('true');
    await page
      .locator(
        `[data-testid="roster-center"][data-center-id="${centerId}"] [data-position="police-duty"][data-understaffed="true"]`,
      )
      .waitFor({ timeout: 10_000 });
    await page
      .locator('[data-testid="roster-gap"][data-urgent="true"]')
      .first()
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-roster-gap.png'), fullPage: true });
  });

  it('switches to English', async () => {
    await page.getByTestId('language-switch').click();
    await page
      .locator('[data-testid="language-switch"][data-lang="en"]')
      .waitFor({ timeout: 5000 });
    expect(await page.getByTestId('roster-title').innerText()).toBe('24/7 duty roster');
    expect(
      await page.locator('[data-testid="gap-notice"][data-urgent="true"]').first().innerText(),
    ).toMatch(/^URGENT Coverage gap: Police duty – Móng Cái/);
    await page.getByTestId('language-switch').click();
    await page
      .locator('[data-testid="language-switch"][data-lang="vi"]')
      .waitFor({ timeout: 5000 });
  });

  it('the main console shows the notice too', async () => {
    await page.getByTestId('roster-back').click();
    await page
      .locator('[data-testid="connection-status"][data-state="live"]')
      .waitFor({ timeout: 15_000 });
    const later = Math.ceil((Date.now() + 48 * HOUR_MS) / (12 * HOUR_MS)) * 12 * HOUR_MS;
    const medical = await onDuty('medical-duty', later + HOUR_MS);
    await leave(medical.people[0], later, later + HOUR_MS);
    const notice = page.locator('[data-testid="gap-notice"]');
    await notice.first().waitFor({ timeout: 5000 });
    expect(await notice.first().innerText()).toMatch(/Trực y tế – Móng Cái/);
    expect(outside).toEqual([]);
  });
});
