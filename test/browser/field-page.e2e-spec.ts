import type { Browser, BrowserContext, Page, Request as PageRequest } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, assertConsoleBuilt, launchBrowser, recordOutsideRequests, signIn } from '../support/browser';
import { DISTRICTS } from '../support/factories';
import { waitFor } from '../support/wait';
import { DEMO_PASSWORD, TestStack } from '../support/stack';

/**
 * The field team's phone page (/field, 360x640, touch): a member sees the task assigned to
 * their team, acknowledges it with one tap, taps "Đang đến" while offline (queued, shown as
 * sending), and the action reaches the server exactly once when the link is back; a tap the
 * server refuses (the task was cancelled meanwhile) is dropped with a message.
 */
describe('field page (headless Chromium, 360x640)', () => {
  const stack = new TestStack();
  const MEMBER = 'mong-cai.field-page';
  const DISPATCHER = DISTRICTS.mongCai.account;
  const PLACE = { lat: 21.52, lon: 107.95 };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let teamId: string;
  const outside: string[] = [];
  const actionRequests = new Set<PageRequest>();

  async function assignedTask(priority: 'high' | 'normal' = 'high'): Promise<string> {
    const res = await stack.request('POST', '/api/v1/dispatch/tasks', DISPATCHER, {
      type: 'tracing',
      unit: DISTRICTS.mongCai.code,
      place: PLACE,
      priority,
      teamId,
      note: 'Truy vết F1 tại khu 3',
    });
    expect(res.status).toBe(201);
    expect(res.body.task.state).toBe('assigned');
    return res.body.task.id as string;
  }

  const card = (taskId: string) => page.locator(`[data-testid="field-task"][data-task-id="${taskId}"]`);
  const cardInState = (taskId: string, state: string) =>
    page.locator(`[data-testid="field-task"][data-task-id="${taskId}"][data-state="${state}"]`);
  const outbox = () => page.getByTestId('field-outbox');

  beforeAll(async () => {
    assertConsoleBuilt();
    await stack.start();
    await stack.createAccount(MEMBER, 'field-team', DISTRICTS.mongCai.code);
    const { rows } = await stack.db.query(`SELECT id FROM users WHERE username = $1`, [MEMBER]);
    const team = await stack.request('POST', '/api/v1/dispatch/teams', DISPATCHER, {
      unit: DISTRICTS.mongCai.code,
      name: 'Tổ truy vết điện thoại',
      kind: 'tracing',
      memberUserIds: [(rows[0] as { id: string }).id],
    });
    expect(team.status).toBe(201);
    teamId = team.body.id as string;
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    page = await context.newPage();
    recordOutsideRequests(page, stack.apiUrl, outside);
    // The field actions the page has sent and not yet seen answered (or fail).
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().includes('/api/v1/dispatch/tasks/')) actionRequests.add(req);
    });
    page.on('requestfinished', (req) => actionRequests.delete(req));
    page.on('requestfailed', (req) => actionRequests.delete(req));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('lands a field member on /field, acknowledges with one tap, and delivers an offline tap exactly once', async () => {
    const taskId = await assignedTask();
    await signIn(page, stack.apiUrl, MEMBER, DEMO_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/field');
    await cardInState(taskId, 'assigned').waitFor({ timeout: 15_000 });
    expect(await card(taskId).innerText()).toMatch(/Truy vết[\s\S]*Ưu tiên cao[\s\S]*Móng Cái[\s\S]*21\.52000, 107\.95000/);

    await card(taskId).getByTestId('field-ack').tap();
    await cardInState(taskId, 'acknowledged').waitFor({ timeout: 10_000 });
    // The card may show the answer a moment before the outbox lets the entry go.
    await page.locator('[data-testid="field-outbox"][data-count="0"]').waitFor({ timeout: 5_000 });
    expect(await outbox().getAttribute('data-count')).toBe('0');

    // Offline: the tap is kept, shown as sending, and nothing reaches the server.
    await context.setOffline(true);
    await page.getByTestId('field-offline').waitFor({ timeout: 5_000 });
    await card(taskId).getByTestId('field-en-route').tap();
    await page.locator('[data-testid="field-outbox"][data-count="1"]').waitFor({ timeout: 5_000 });
    expect(await card(taskId).getByTestId('field-state').innerText()).toMatch(/Đang đến · đang gửi…/);
    expect(await card(taskId).getAttribute('data-state')).toBe('acknowledged');
    // The queue survives a reload of the page (it is in localStorage, with its action id).
    const stored = await page.evaluate(
      (key) => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(key),
      `frontline.field.outbox.${MEMBER}`,
    );
    expect(stored).toContain('"action":"en-route"');
    await page.screenshot({ path: join(ARTIFACTS, 'field-page-offline.png') });
    expect((await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}`, DISPATCHER)).body.state).toBe('acknowledged');

    // Back online: delivered, confirmed, once. (Nothing came while offline: its transition is
    // recorded after this instant, checked below.)
    const backOnline = new Date();
    await context.setOffline(false);
    await cardInState(taskId, 'en-route').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="field-outbox"][data-count="0"]').waitFor({ timeout: 5_000 });
    await page.getByTestId('field-offline').waitFor({ state: 'detached', timeout: 15_000 });
    // The outbox is empty, so it sends nothing more; once every request it made is answered
    // the server has all there will be.
    await waitFor('every action request of the page answered', () => actionRequests.size === 0, 10_000, 50);
    const timeline = await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}/timeline`, DISPATCHER);
    expect(timeline.status).toBe(200);
    const types = (timeline.body.steps as { type: string }[]).map((s) => s.type);
    expect(types.filter((type) => type === 'task.acknowledged')).toHaveLength(1);
    expect(types.filter((type) => type === 'task.progressed')).toHaveLength(1);
    expect(
      await stack.count(`SELECT count(*) FROM task_transitions WHERE task_id = $1 AND action = 'en-route'`, [taskId]),
    ).toBe(1);
    expect(
      await stack.count(`SELECT count(*) FROM task_transitions WHERE task_id = $1 AND action = 'en-route' AND at >= $2`, [taskId, backOnline]),
    ).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'field-page.png'), fullPage: true });
  });

  it('shows a newly assigned task live; a tap refused because the task was cancelled is dropped with a message', async () => {
    const taskId = await assignedTask('normal');
    // Pushed, not polled: the socket says a task changed and the page reads its list again.
    await page.locator(`[data-testid="field-notice"][data-kind="new"][data-task-id="${taskId}"]`).waitFor({ timeout: 10_000 });
    await cardInState(taskId, 'assigned').waitFor({ timeout: 5_000 });

    await context.setOffline(true);
    await page.getByTestId('field-offline').waitFor({ timeout: 5_000 });
    await card(taskId).getByTestId('field-ack').tap();
    await page.locator('[data-testid="field-outbox"][data-count="1"]').waitFor({ timeout: 5_000 });
    const cancelled = await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/cancel`, DISPATCHER, {
      reason: 'Người dân đã tự đến trạm y tế',
    });
    expect(cancelled.status).toBe(201);
    await context.setOffline(false);

    const refused = page.locator(`[data-testid="field-refused"][data-task-id="${taskId}"]`);
    await refused.waitFor({ timeout: 20_000 });
    await waitFor('the refusal to name the cancellation', async () => /nhiệm vụ đã bị huỷ/.test(await refused.innerText()), 10_000);
    expect(await refused.innerText()).toMatch(/Không thực hiện được «Đã nhận»[\s\S]*Thao tác đã bị bỏ/);
    await page.locator('[data-testid="field-outbox"][data-count="0"]').waitFor({ timeout: 5_000 });
    await cardInState(taskId, 'cancelled').waitFor({ timeout: 10_000 });
    expect(await cardInState(taskId, 'cancelled').innerText()).toMatch(/Người dân đã tự đến trạm y tế/);
    // Nothing was applied to the cancelled task.
    expect(await stack.count(`SELECT count(*) FROM task_transitions WHERE task_id = $1 AND action = 'acknowledge'`, [taskId])).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'field-page-refused.png'), fullPage: true });
    expect(outside).toEqual([]);
  });
});
