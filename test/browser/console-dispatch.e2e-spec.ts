import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, assertConsoleBuilt, launchBrowser, recordOutsideRequests, signIn } from '../support/browser';
import { DISTRICTS, EventFactory } from '../support/factories';
import { DEMO_PASSWORD, TestStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * The field team acknowledges its task on the phone page (/field, 360x640): one tap on the
 * task's card, confirmed by the server (the card's state follows).
 */
async function acknowledgeFromField(
  browser: Browser,
  origin: string,
  taskId: string,
  username: string,
  outside: string[],
): Promise<void> {
  const phone = await browser.newPage({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
  recordOutsideRequests(phone, origin, outside);
  try {
    await signIn(phone, origin, username, DEMO_PASSWORD, '/field');
    const card = phone.locator(`[data-testid="field-task"][data-task-id="${taskId}"]`);
    await card.waitFor({ timeout: 15_000 });
    await card.getByTestId('field-ack').click();
    await phone.locator(`[data-testid="field-task"][data-task-id="${taskId}"][data-state="acknowledged"]`).waitFor({ timeout: 15_000 });
    await phone.screenshot({ path: join(ARTIFACTS, 'console-dispatch-field-ack.png') });
  } finally {
    await phone.close();
  }
}

/**
 * The dispatch board (/dispatch) in headless Chromium: a duty officer enters a call, turns the
 * report into a tracing task, assigns the nearest available team; the team acknowledges and the
 * board shows it live; a task left alone shows its escalations as they arrive.
 */
describe('console dispatch board (headless Chromium)', () => {
  const stack = new TestStack({
    // Critical tasks must be acknowledged within 4 s, each escalation level 4 s later.
    env: { DISPATCH_ACK_DEADLINES: 'critical=4,high=3600,normal=3600,low=3600' },
  });
  const MONG_CAI = DISTRICTS.mongCai.code;
  const PLACE = { lat: 21.5312, lon: 107.9641 };
  const OFFICER = 'province.duty';
  const FIELD = 'mong-cai.field';
  let browser: Browser;
  let page: Page;
  let nearTeamId: string;
  const outside: string[] = [];

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    await stack.createAccount(FIELD, 'field-team', MONG_CAI);
    const fieldId = String((await stack.db.query(`SELECT id FROM users WHERE username = $1`, [FIELD])).rows[0].id);
    // A tracing team based 400 m from the call's place (the seeded ones are at unit centres).
    const team = await stack.request('POST', '/api/v1/dispatch/teams', DISTRICTS.mongCai.account, {
      unit: MONG_CAI,
      name: 'Tổ truy vết phường Ka Long',
      kind: 'tracing',
      base: { lat: PLACE.lat + 0.0036, lon: PLACE.lon },
      memberUserIds: [fieldId],
    });
    expect(team.status).toBe(201);
    nearTeamId = team.body.id;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    recordOutsideRequests(page, stack.apiUrl, outside);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('takes a call to a task, assigns the nearest team, shows the acknowledgement live and the escalations of a neglected task', async () => {
    await signIn(page, stack.apiUrl, OFFICER, DEMO_PASSWORD, '/dispatch');
    await page.getByTestId('dispatch-screen').waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((globalThis as unknown as { boardMark: number }).boardMark = 1));

    // A task nobody acknowledges: critical, no team. Its escalations will arrive meanwhile.
    const neglected = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, {
      type: 'disinfection',
      unit: MONG_CAI,
      place: { lat: 21.52, lon: 107.95 },
      priority: 'critical',
    });
    expect(neglected.status).toBe(201);
    const neglectedId = neglected.body.task.id as string;

    // 1. The call.
    await page.getByTestId('dispatch-open-call').click();
    const form = page.getByTestId('dispatch-call-form');
    await form.waitFor();
    await form.locator('select[name="channel"]').selectOption('hotline');
    await form.locator('select[name="category"]').selectOption('suspected-case');
    await form.locator('select[name="unit"]').selectOption(MONG_CAI);
    await form.locator('input[name="callerName"]').fill('Nguyễn Văn An');
    await form.locator('input[name="callerPhone"]').fill('0912 000 111');
    await form.locator('input[name="address"]').fill('Số 5 phố Ka Long');
    await form.locator('input[name="lat"]').fill(String(PLACE.lat));
    await form.locator('input[name="lon"]').fill(String(PLACE.lon));
    await form.locator('textarea[name="description"]').fill('Gia đình có người sốt, ho sau khi đi chợ Móng Cái về');
    await page.getByTestId('dispatch-call-submit').click();
    const report = page.locator('[data-testid="dispatch-report"]', { hasText: 'Gia đình có người sốt' });
    await report.waitFor({ timeout: 15_000 });
    const reportId = (await report.getAttribute('data-report-id'))!;
    // Through the ingest path, the caller's name, phone and address stored apart from the event.
    const stored = await stack.db.query(`SELECT payload, unit_code FROM event_log WHERE id = $1`, [reportId]);
    expect(stored.rows[0]).toMatchObject({ unit_code: MONG_CAI, payload: { channel: 'hotline', category: 'suspected-case' } });
    expect(JSON.stringify(stored.rows[0].payload)).not.toMatch(/Nguyễn|0912|Ka Long/);
    expect(await stack.count(`SELECT count(*) FROM event_personal_data WHERE event_id = $1`, [reportId])).toBe(1);
    await page.getByTestId('dispatch-open-call').click(); // closes the form

    // 2. The report becomes a tracing task.
    await report.getByTestId('dispatch-report-to-task').click();
    await report.locator('select[name="type"]').selectOption('tracing');
    await report.locator('select[name="priority"]').selectOption('high');
    await report.getByTestId('dispatch-create-task').click();
    const taskId = await waitFor('the task of the report', async () => {
      const { rows } = await stack.db.query(`SELECT id FROM tasks WHERE report_id = $1`, [reportId]);
      return (rows[0]?.id as string | undefined) ?? '';
    }, 15_000, 200);
    const card = page.locator(`[data-testid="dispatch-task"][data-task-id="${taskId}"]`);
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getAttribute('data-state')).toBe('created');

    // 3. The nearest available team, with its distance.
    await card.getByTestId('dispatch-nearest').click();
    const choices = card.getByTestId('dispatch-nearest-team');
    await choices.first().waitFor({ timeout: 10_000 });
    expect(await choices.first().getAttribute('data-team-id')).toBe(nearTeamId);
    expect(await choices.first().innerText()).toMatch(/Tổ truy vết phường Ka Long · 0,4 km/);
    await choices.first().click();
    await page.locator(`[data-testid="dispatch-task"][data-task-id="${taskId}"][data-state="assigned"]`).waitFor({ timeout: 10_000 });
    const teamCard = page.locator(`[data-testid="dispatch-team"][data-team-id="${nearTeamId}"]`);
    await page.locator(`[data-testid="dispatch-team"][data-team-id="${nearTeamId}"][data-status="on-task"]`).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'console-dispatch-assigned.png') });

    // 4. The field team acknowledges; the board follows live, without a reload.
    await acknowledgeFromField(browser, stack.apiUrl, taskId, FIELD, outside);
    const acknowledgedAt = Date.now();
    await page.locator(`[data-testid="dispatch-task"][data-task-id="${taskId}"][data-state="acknowledged"]`).waitFor({ timeout: 10_000 });
    expect(Date.now() - acknowledgedAt).toBeLessThan(5000);
    expect(await page.evaluate(() => (globalThis as unknown as { boardMark?: number }).boardMark)).toBe(1);
    expect(await teamCard.getAttribute('data-status')).toBe('on-task');

    // 5. The neglected task: overdue, red, and its escalations up the chain as they arrive.
    const other = page.locator(`[data-testid="dispatch-task"][data-task-id="${neglectedId}"]`);
    await other.locator('[data-testid="dispatch-escalation"][data-levels="1,2,3"]').waitFor({ timeout: 40_000 });
    expect(await other.getByTestId('dispatch-escalation').innerText()).toBe('Đã báo lên: Trực ban → Chỉ huy → Tỉnh');
    expect(await other.getByTestId('dispatch-countdown').getAttribute('data-overdue')).toBe('true');
    expect(await other.getByTestId('dispatch-countdown').innerText()).toMatch(/^Quá hạn \d+:\d\d$/);
    expect(await card.locator('[data-testid="dispatch-escalation"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'console-dispatch.png') });

    // 6. Accountability: the task's timeline, who did each step.
    await card.getByTestId('dispatch-task-timeline').click();
    const timeline = page.getByTestId('dispatch-timeline');
    await timeline.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/dispatch/timeline/task/${taskId}`);
    await timeline.locator('[data-testid="dispatch-timeline-step"][data-type="task.acknowledged"]').waitFor({ timeout: 10_000 });
    expect(await timeline.getByTestId('dispatch-timeline-step').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')))).toEqual([
      'task.created',
      'task.assigned',
      'task.acknowledged',
    ]);
    // Who: the accounts' names, never their ids.
    const nameOf = async (username: string) =>
      String((await stack.db.query(`SELECT display_name FROM users WHERE username = $1`, [username])).rows[0].display_name);
    expect(await timeline.getByTestId('dispatch-timeline-actor').allInnerTexts()).toEqual([
      await nameOf(OFFICER),
      await nameOf(OFFICER),
      await nameOf(FIELD),
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-dispatch-timeline.png') });

    expect(outside).toEqual([]);
  }, 120_000);

  it('merges a likely duplicate into its twin and closes a report with a reason, from the board', async () => {
    const near = { lat: 21.525, lon: 107.955 };
    const first = EventFactory.reportReceived('gathering').inUnit(MONG_CAI).at(near.lat, near.lon).build();
    const twin = EventFactory.reportReceived('gathering').inUnit(MONG_CAI).at(near.lat + 0.001, near.lon).build();
    const idle = EventFactory.reportReceived('other').inUnit(MONG_CAI).at(21.45, 107.8).build();
    await stack.postEvents(OFFICER, [first, twin, idle]);
    await page.goto(`${stack.apiUrl}/dispatch`);
    const row = (id: string) => page.locator(`[data-testid="dispatch-report"][data-report-id="${id}"]`);
    await row(twin.id).getByTestId('dispatch-duplicate').waitFor({ timeout: 15_000 });

    await row(twin.id).getByTestId('dispatch-report-merge').click();
    const candidate = row(twin.id).locator(`[data-testid="dispatch-duplicate-candidate"][data-report-id="${first.id}"]`);
    await candidate.waitFor({ timeout: 10_000 });
    await candidate.getByTestId('dispatch-merge-into').click();
    await row(twin.id).waitFor({ state: 'detached', timeout: 10_000 });

    await row(idle.id).getByTestId('dispatch-report-close').click();
    await row(idle.id).getByTestId('dispatch-close-submit').click();
    await row(idle.id).getByRole('alert').filter({ hasText: 'Hãy ghi lý do đóng tin báo.' }).waitFor();
    await row(idle.id).getByTestId('dispatch-close-reason').fill('Gọi lại: người báo nhầm địa chỉ');
    await row(idle.id).getByTestId('dispatch-close-submit').click();
    await row(idle.id).waitFor({ state: 'detached', timeout: 10_000 });

    const states = await stack.db.query(`SELECT report_id, state, merged_into FROM report_triage WHERE report_id = ANY($1)`, [
      [twin.id, idle.id],
    ]);
    const byId = new Map(states.rows.map((r: { report_id: string }) => [r.report_id, r]));
    expect(byId.get(twin.id)).toMatchObject({ state: 'merged', merged_into: first.id });
    expect(byId.get(idle.id)).toMatchObject({ state: 'closed' });
    expect(await row(first.id).count()).toBe(1);
    expect(outside).toEqual([]);
  });
});

