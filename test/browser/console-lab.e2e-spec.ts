import type { Browser, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ARTIFACTS, assertConsoleBuilt, launchBrowser, recordOutsideRequests, signIn } from '../support/browser';
import { createCase, daysAgo, personBody } from '../support/cases';
import { DISTRICTS, LabResultFactory } from '../support/factories';
import { DEMO_PASSWORD, TestStack } from '../support/stack';
import { waitFor } from '../support/wait';

const MC = DISTRICTS.mongCai;
const ROWS = 30;
/** Data rows (1-based, as the screen numbers them) broken in one field each. */
const BAD = { 4: 'method', 13: 'unit', 22: 'personId' } as const;
/** The antigen positive of the Móng Cái contact: a case proposal, not a confirmation. */
const POSITIVE_ROW = 7;
const HOUR = 3_600_000;

/**
 * The lab upload screen (/lab) and the screening board (/screening) in headless Chromium: a lab
 * user sends a CSV with 3 bad rows through the screen, follows its progress and sees exactly
 * those rows refused; the positive of a monitored contact becomes a case proposal. The board
 * marks an overdue site.
 */
describe('console lab upload screen and screening board (headless Chromium)', () => {
  const stack = new TestStack();
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  let contact: any;

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    await stack.createAccount('lab.mong-cai', 'lab', MC.code);
    // An F1 of Móng Cái under monitoring: a positive antigen result proposes an F0 (case rules).
    const source = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    contact = await createCase(stack, MC.account, {
      person: personBody(MC.code),
      classification: 'F1',
      sourceCaseId: source.id,
      exposure: { date: daysAgo(2), setting: 'household' },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(page, stack.apiUrl, outside);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  function labFile(): string {
    const collectedAt = new Date(Date.now() - 2 * HOUR).toISOString();
    const lines = ['sampleId,unit,method,result,collectedAt,personId'];
    for (let row = 1; row <= ROWS; row++) {
      const bad = BAD[row as keyof typeof BAD];
      const positive = row === POSITIVE_ROW;
      lines.push(
        [
          `MC-${row}`,
          bad === 'unit' ? '999' : MC.code,
          bad === 'method' ? 'pcr' : positive ? 'antigen' : 'rt-pcr',
          positive ? 'positive' : 'negative',
          collectedAt,
          positive ? contact.personId : bad === 'personId' ? randomUUID() : '',
        ].join(','),
      );
    }
    return `${lines.join('\r\n')}\r\n`;
  }

  it('a lab user uploads a CSV: progress, then exactly the 3 bad rows by number; the duty officer confirms the resulting F0 and sees its tracing task', async () => {
    await signIn(page, stack.apiUrl, 'lab.mong-cai', DEMO_PASSWORD, '/lab');
    await page.getByTestId('lab-screen').waitFor({ timeout: 10_000 });
    await page.getByTestId('lab-upload-lab-code').fill('QN-CDC');
    await page.getByTestId('lab-upload-file').setInputFiles({
      name: 'ket-qua-mong-cai.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(labFile(), 'utf8'),
    });
    await page.getByTestId('lab-upload-submit').click();

    const progress = page.getByTestId('lab-upload-progress');
    await progress.waitFor({ timeout: 15_000 });
    expect(await progress.getAttribute('data-total-rows')).toBe(String(ROWS));
    await page.locator('[data-testid="lab-upload-progress"][data-status="completed"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('lab-upload-rows').innerText()).toBe(`${ROWS} / ${ROWS} dòng`);
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(String(ROWS));
    expect(await page.getByTestId('lab-upload-committed').getAttribute('data-count')).toBe(String(ROWS - 3));
    expect(await page.getByTestId('lab-upload-rejected').getAttribute('data-count')).toBe('3');

    const errors = page.locator('[data-testid="lab-upload-errors"] [data-testid="lab-upload-error"]');
    await errors.first().waitFor({ timeout: 10_000 });
    expect(await errors.count()).toBe(3);
    expect(
      await errors.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-row'), r.getAttribute('data-field')])),
    ).toEqual(Object.entries(BAD).map(([row, field]) => [row, field]));
    expect(await errors.nth(2).innerText()).toMatch(/no such person/);
    // The upload is listed among the user's recent ones.
    await page.locator('[data-testid="lab-upload-item"][data-status="completed"]').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-lab-upload.png'), fullPage: true });

    // The contact's positive antigen result is a proposal for the duty officer, not a confirmation.
    const proposal = await waitFor(
      'case.proposed for the contact',
      async () =>
        (
          await stack.db.query(`SELECT payload FROM event_log WHERE type = 'case.proposed' AND payload->>'caseId' = $1`, [
            contact.id,
          ])
        ).rows[0]?.payload,
      30_000,
      250,
    );
    expect(proposal).toEqual(expect.objectContaining({ caseId: contact.id, method: 'antigen' }));
    const detail = await stack.request('GET', `/api/v1/cases/${contact.id}`, MC.account);
    expect(detail.body).toEqual(expect.objectContaining({ classification: 'F1', proposalTestId: expect.any(String) }));

    // The district's duty officer confirms the proposal and sees the new F0's tracing task appear.
    const desk = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(desk, stack.apiUrl, outside);
    await signIn(desk, stack.apiUrl, MC.account, DEMO_PASSWORD, '/cases');
    const proposalRow = desk.locator(`[data-testid="case-proposal"][data-case-id="${contact.id}"]`);
    await proposalRow.waitFor({ timeout: 15_000 });
    await proposalRow.getByTestId('case-proposal-confirm').click();
    await proposalRow.waitFor({ state: 'detached', timeout: 10_000 });
    await desk.goto(`${stack.apiUrl}/cases/${contact.id}`);
    await desk.locator('[data-testid="case-detail"][data-classification="F0"]').waitFor({ timeout: 15_000 });
    await desk
      .locator('[data-testid="case-tasks"] [data-testid="case-task"][data-task-type="tracing"]')
      .waitFor({ timeout: 10_000 });
    await desk.screenshot({ path: join(ARTIFACTS, 'console-lab-confirmed-f0.png') });
    await desk.close();
    expect(outside).toEqual([]);
  });

  it('the screening board marks an overdue site and puts it on the map', async () => {
    const program = await stack.request('POST', '/api/v1/screening/programs', MC.account, {
      name: 'Công nhân cửa khẩu',
      targetGroup: 'delivery-point-workers',
      unit: MC.code,
      cadence: 'daily',
      graceHours: 6,
      startsAt: new Date(Date.now() - 72 * HOUR).toISOString(),
      sites: [
        { name: 'Cửa khẩu Bắc Luân', unit: MC.code, lat: 21.54, lon: 107.96 },
        { name: 'Chợ Trung tâm Móng Cái', unit: MC.code, lat: 21.53, lon: 107.97 },
      ],
    });
    expect(program.status).toBe(201);
    const [tested, overdue] = program.body.sites as { id: string }[];
    const result = LabResultFactory.rtPcr('negative').with({ programId: program.body.id, siteId: tested.id }).build();
    expect((await stack.request('POST', '/api/v1/lab-results', 'lab.mong-cai', result)).status).toBe(201);

    await page.goto(`${stack.apiUrl}/screening`);
    await page.getByTestId('screening-screen').waitFor({ timeout: 10_000 });
    const site = page.locator(`[data-testid="screening-site"][data-site-id="${overdue.id}"]`);
    await site.waitFor({ timeout: 15_000 });
    expect(await site.getAttribute('data-status')).toBe('overdue');
    expect(await site.getAttribute('class')).toContain('is-overdue');
    expect(await site.innerText()).toMatch(/Quá hạn/);
    // Overdue first, then the covered site.
    expect(await page.locator('[data-testid="screening-site"]').evaluateAll((r) => r.map((x) => x.getAttribute('data-status')))).toEqual([
      'overdue',
      'ok',
    ]);
    expect(await page.getByTestId('screening-overdue-count').innerText()).toMatch(/1 điểm quá hạn/);
    await page.locator('[data-testid="screening-program-row"].is-overdue').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="screening-map"][data-ready="true"][data-sites="2"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-screening.png') });
    expect(outside).toEqual([]);
  });
});
