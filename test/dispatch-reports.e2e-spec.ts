import { randomUUID } from 'node:crypto';
import type { OpenReportsResponse, SnapshotResponse } from '@frontline/contracts';
import { DISTRICTS, EventFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

/** Triage of urgent reports: priority, likely duplicates (PostGIS), merge, close, tasks from a report. */
describe('dispatch: triage of urgent reports', () => {
  const stack = new TestStack();
  const MONG_CAI = DISTRICTS.mongCai.code;
  const BASE = { lat: 21.53, lon: 107.96 };
  const MIN = 60_000;
  const ids: Record<string, string> = {};

  const post = (path: string, user: string, body: unknown = {}) => stack.request('POST', path, user, body);
  const eventsOf = async (type: string, reportId: string) =>
    stack.count(`SELECT count(*) FROM event_log WHERE type = $1 AND payload->>'reportId' = $2`, [type, reportId]);

  beforeAll(async () => {
    await stack.start();
    // ~0.001° of latitude is ~111 m.
    const reports = {
      a: EventFactory.reportReceived().inUnit(MONG_CAI).at(BASE.lat, BASE.lon).ago(20 * MIN),
      b: EventFactory.reportReceived().inUnit(MONG_CAI).at(BASE.lat + 0.002, BASE.lon).ago(10 * MIN),
      c: EventFactory.reportReceived('gathering').inUnit(MONG_CAI).at(BASE.lat, BASE.lon + 0.003).ago(60 * MIN),
      far: EventFactory.reportReceived().inUnit(MONG_CAI).at(BASE.lat + 0.03, BASE.lon).ago(15 * MIN),
      old: EventFactory.reportReceived().inUnit(MONG_CAI).at(BASE.lat, BASE.lon).ago(170 * MIN),
      haLong: EventFactory.reportReceived().inUnit(DISTRICTS.haLong.code).at(BASE.lat + 0.001, BASE.lon).ago(5 * MIN),
      noPlace: EventFactory.reportReceived().inUnit(MONG_CAI).ago(5 * MIN),
      drill: EventFactory.reportReceived().inUnit(MONG_CAI).at(BASE.lat, BASE.lon).ago(5 * MIN).asDrill(),
    };
    const built = Object.fromEntries(Object.entries(reports).map(([k, f]) => [k, f.build()]));
    await stack.postEvents('province.duty', Object.values(built));
    for (const [k, e] of Object.entries(built)) ids[k] = e.id;
  }, 90_000);
  afterAll(() => stack.stop());

  it('lists likely duplicates within 500 m and 2 h, nearest first, inside the caller jurisdiction', async () => {
    const res = await stack.request('GET', `/api/v1/dispatch/reports/${ids.a}/duplicates`, DISTRICTS.mongCai.account);
    expect(res.status).toBe(200);
    expect(res.body.candidates.map((c: { reportId: string }) => c.reportId)).toEqual([ids.b, ids.c]);
    expect(res.body.candidates[0]).toMatchObject({ unit: MONG_CAI, category: 'illegal-entry', minutesApart: 10 });
    expect(res.body.candidates[0].distanceM).toBeGreaterThan(200);
    expect(res.body.candidates[0].distanceM).toBeLessThan(250);
    // The province also sees the Hạ Long report close by.
    const province = await stack.request('GET', `/api/v1/dispatch/reports/${ids.a}/duplicates`, 'province.duty');
    expect(province.body.candidates.map((c: { reportId: string }) => c.reportId).sort()).toEqual([ids.b, ids.c, ids.haLong].sort());
    // A wider window finds the far and the old ones; no place: nothing to compare.
    const wide = await stack.request('GET', `/api/v1/dispatch/reports/${ids.a}/duplicates?radiusM=5000&hours=3`, DISTRICTS.mongCai.account);
    expect(wide.body.candidates.map((c: { reportId: string }) => c.reportId)).toEqual(expect.arrayContaining([ids.far, ids.old]));
    expect(wide.body.candidates.map((c: { reportId: string }) => c.reportId)).not.toContain(ids.drill);
    expect((await stack.request('GET', `/api/v1/dispatch/reports/${ids.noPlace}/duplicates`, DISTRICTS.mongCai.account)).body.candidates).toEqual([]);
    const bad = await stack.request('GET', `/api/v1/dispatch/reports/${ids.a}/duplicates?radiusM=100000`, DISTRICTS.mongCai.account);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('query.radiusM');
    expect((await stack.request('GET', `/api/v1/dispatch/reports/${ids.a}/duplicates`, DISTRICTS.haLong.account)).status).toBe(404);
  });

  it('merges a duplicate once; merged reports leave the duplicate list and cannot be merged into', async () => {
    const first = await post(`/api/v1/dispatch/reports/${ids.b}/merge`, DISTRICTS.mongCai.account, { intoReportId: ids.a });
    expect(first.status).toBe(201);
    expect(first.body.report).toMatchObject({ state: 'merged', mergedInto: ids.a });
    expect((await post(`/api/v1/dispatch/reports/${ids.b}/merge`, DISTRICTS.mongCai.account, { intoReportId: ids.a })).status).toBe(200);
    expect(await eventsOf('report.merged', ids.b)).toBe(1);
    const list = await stack.request('GET', `/api/v1/dispatch/reports/${ids.a}/duplicates`, DISTRICTS.mongCai.account);
    expect(list.body.candidates.map((c: { reportId: string }) => c.reportId)).toEqual([ids.c]);
    const into = await post(`/api/v1/dispatch/reports/${ids.c}/merge`, DISTRICTS.mongCai.account, { intoReportId: ids.b });
    expect(into.status).toBe(409);
    expect(into.body.message).toMatch(/body.intoReportId: that report is merged/);
    const self = await post(`/api/v1/dispatch/reports/${ids.c}/merge`, DISTRICTS.mongCai.account, { intoReportId: ids.c });
    expect(self.status).toBe(400);
    expect(self.body.details[0].path).toBe('body.intoReportId');
    const triageMerged = await post(`/api/v1/dispatch/reports/${ids.b}/triage`, DISTRICTS.mongCai.account, { priority: 'high' });
    expect(triageMerged.status).toBe(409);
    // Merging into a report of another district is answered as an unknown report.
    expect((await post(`/api/v1/dispatch/reports/${ids.c}/merge`, DISTRICTS.mongCai.account, { intoReportId: ids.haLong })).status).toBe(404);
  });

  it('triages, turns a report into tasks, and closes it only when its tasks are finished', async () => {
    const triaged = await post(`/api/v1/dispatch/reports/${ids.a}/triage`, DISTRICTS.mongCai.account, { priority: 'critical' });
    expect(triaged.status).toBe(201);
    expect(triaged.body.report).toMatchObject({ state: 'open', priority: 'critical' });
    expect((await post(`/api/v1/dispatch/reports/${ids.a}/triage`, DISTRICTS.mongCai.account, { priority: 'critical' })).status).toBe(200);
    expect(await eventsOf('report.triaged', ids.a)).toBe(1);
    const tracing = await post('/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'tracing', unit: MONG_CAI, place: BASE, priority: 'critical', reportId: ids.a });
    const cordon = await post('/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'cordon', unit: MONG_CAI, place: BASE, priority: 'high', reportId: ids.a });
    expect([tracing.status, cordon.status]).toEqual([201, 201]);
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE type = 'task.created' AND payload->>'reportId' = $1`, [ids.a])).toBe(2);
    const state = await stack.request('GET', `/api/v1/dispatch/reports/${ids.a}`, DISTRICTS.mongCai.account);
    expect(state.body.taskIds.sort()).toEqual([tracing.body.task.id, cordon.body.task.id].sort());

    const early = await post(`/api/v1/dispatch/reports/${ids.a}/close`, DISTRICTS.mongCai.account, { reason: 'Đã xử lý' });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/open tasks/);
    for (const t of [tracing, cordon]) await post(`/api/v1/dispatch/tasks/${t.body.task.id}/cancel`, DISTRICTS.mongCai.account, { reason: 'Xong' });
    const closed = await post(`/api/v1/dispatch/reports/${ids.a}/close`, DISTRICTS.mongCai.account, { reason: 'Đã xử lý' });
    expect(closed.status).toBe(201);
    expect(closed.body.report).toMatchObject({ state: 'closed', closeReason: 'Đã xử lý' });
    expect((await post(`/api/v1/dispatch/reports/${ids.a}/close`, DISTRICTS.mongCai.account, { reason: 'lại' })).status).toBe(409);
    expect((await post(`/api/v1/dispatch/reports/${ids.a}/triage`, DISTRICTS.mongCai.account, { priority: 'low' })).status).toBe(409);
    const fromClosed = await post('/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'tracing', unit: MONG_CAI, place: BASE, priority: 'low', reportId: ids.a });
    expect(fromClosed.status).toBe(409);
    expect(await eventsOf('report.closed', ids.a)).toBe(1);
    const actor = (await stack.db.query(`SELECT actor FROM event_log WHERE type = 'report.closed' AND payload->>'reportId' = $1`, [ids.a])).rows[0].actor;
    const duty = (await stack.db.query(`SELECT id FROM users WHERE username = $1`, [DISTRICTS.mongCai.account])).rows[0].id;
    expect(actor).toBe(`user:${duty}`);
  });

  it("counts on the console the open reports the dispatch list holds: closed and merged ones leave both", async () => {
    const res = await stack.request('GET', `/api/v1/dispatch/reports?unit=${MONG_CAI}`, DISTRICTS.mongCai.account);
    const listed = (res.body as OpenReportsResponse).reports.filter((r) => !r.drill).length;
    expect(await eventsOf('report.closed', ids.a)).toBe(1);
    await waitFor('the console to count the listed open reports', async () => {
      const snapshot = await stack.request('GET', `/api/v1/snapshot?unit=${MONG_CAI}`, DISTRICTS.mongCai.account);
      return (snapshot.body as SnapshotResponse).counters.openReports === listed;
    });
  });

  it('refuses bad input, other jurisdictions, other roles and unknown reports', async () => {
    const noReason = await post(`/api/v1/dispatch/reports/${ids.c}/close`, DISTRICTS.mongCai.account, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0].path).toBe('body.reason');
    const badPriority = await post(`/api/v1/dispatch/reports/${ids.c}/triage`, DISTRICTS.mongCai.account, { priority: 'asap' });
    expect(badPriority.body.details[0].path).toBe('body.priority');
    expect((await post(`/api/v1/dispatch/reports/${ids.c}/triage`, DISTRICTS.haLong.account, { priority: 'high' })).status).toBe(404);
    expect((await post(`/api/v1/dispatch/reports/${randomUUID()}/triage`, DISTRICTS.mongCai.account, { priority: 'high' })).status).toBe(404);
    const caseEvent = EventFactory.caseConfirmed().inUnit(MONG_CAI).build();
    await stack.postEvents('province.duty', [caseEvent]);
    const notReport = await post(`/api/v1/dispatch/reports/${caseEvent.id}/close`, DISTRICTS.mongCai.account, { reason: 'x' });
    expect(notReport.status).toBe(404);
    await stack.createAccount('mong-cai.field9', 'field-team', MONG_CAI);
    expect((await post(`/api/v1/dispatch/reports/${ids.c}/triage`, 'mong-cai.field9', { priority: 'high' })).status).toBe(403);
    expect(await eventsOf('report.triaged', ids.c)).toBe(0);
  });

  it('gives the full timeline of a report and its task, and the daily response times per unit', async () => {
    const report = EventFactory.reportReceived().inUnit(MONG_CAI).at(BASE.lat + 0.01, BASE.lon).ago(5 * MIN).build();
    await stack.postEvents('province.duty', [report]);
    expect((await post(`/api/v1/reports/${report.id}/acknowledge`, DISTRICTS.mongCai.account)).status).toBe(201);
    await post(`/api/v1/dispatch/reports/${report.id}/triage`, DISTRICTS.mongCai.account, { priority: 'high' });
    const team = (await stack.request('GET', '/api/v1/dispatch/teams?status=available', DISTRICTS.mongCai.account)).body.teams[0].id;
    const task = (await post('/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'tracing', unit: MONG_CAI, place: BASE, priority: 'high', reportId: report.id, teamId: team })).body.task.id;
    await post(`/api/v1/dispatch/tasks/${task}/acknowledge`, DISTRICTS.mongCai.account);
    await post(`/api/v1/dispatch/tasks/${task}/complete`, DISTRICTS.mongCai.account);

    const timeline = await stack.request('GET', `/api/v1/dispatch/reports/${report.id}/timeline`, DISTRICTS.mongCai.account);
    expect(timeline.status).toBe(200);
    expect(timeline.body.steps.map((s: { type: string }) => s.type)).toEqual(['report.received', 'report.acknowledged', 'report.triaged', 'task.created']);
    const duty = (await stack.db.query(`SELECT id FROM users WHERE username = $1`, [DISTRICTS.mongCai.account])).rows[0].id;
    expect(timeline.body.steps.slice(1).every((s: { actor: string }) => s.actor === `user:${duty}`)).toBe(true);
    // Each step names who did it (the account's display name), not an account id.
    const nameOf = async (username: string) => (await stack.db.query(`SELECT display_name FROM users WHERE username = $1`, [username])).rows[0].display_name as string;
    const [provinceName, dutyName] = [await nameOf('province.duty'), await nameOf(DISTRICTS.mongCai.account)];
    expect(timeline.body.steps.map((s: { actorName: string | null }) => s.actorName)).toEqual([provinceName, dutyName, dutyName, dutyName]);
    expect(timeline.body.durations.toAcknowledgeMs).toBeGreaterThanOrEqual(5 * MIN - 1000);
    expect(timeline.body.durations.toFirstTaskMs).toBeGreaterThanOrEqual(timeline.body.durations.toAcknowledgeMs);
    const taskLine = timeline.body.tasks[0];
    expect(taskLine.steps.map((s: { type: string }) => s.type)).toEqual(['task.created', 'task.assigned', 'task.acknowledged', 'task.completed']);
    expect(taskLine.steps[2].detail).toEqual({ teamId: team });
    expect(taskLine.steps.every((s: { actorName: string | null }) => s.actorName === dutyName)).toBe(true);
    for (const key of ['toAssignMs', 'toAcknowledgeMs', 'acknowledgedToDoneMs', 'totalMs']) expect(taskLine.durations[key]).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(timeline.body)).not.toMatch(/callerPhone|0912 345 678/); // the caller's phone never appears
    expect((await stack.request('GET', `/api/v1/dispatch/reports/${report.id}/timeline`, DISTRICTS.haLong.account)).status).toBe(404);
    expect((await stack.request('GET', `/api/v1/dispatch/tasks/${task}/timeline`, DISTRICTS.haLong.account)).status).toBe(404);

    const summary = await stack.request('GET', `/api/v1/dispatch/response-times?unit=22`, 'province.duty');
    expect(summary.status).toBe(200);
    const row = summary.body.units.find((u: { unit: string }) => u.unit === MONG_CAI);
    const direct = await stack.db.query(
      `SELECT count(*)::int AS n, max(extract(epoch FROM acknowledged_at - created_at)) AS worst FROM tasks WHERE unit_code = $1 AND created_at > now() - interval '1 hour'`,
      [MONG_CAI],
    );
    expect(row.tasks).toBe(direct.rows[0].n);
    expect(row.acknowledgeWorstMs).toBe(Math.round(Number(direct.rows[0].worst) * 1000));
    expect(row.done).toBeGreaterThanOrEqual(1);
    expect(row.acknowledgeMedianMs).toBeLessThanOrEqual(row.acknowledgeWorstMs);
    expect(row.doneMedianMs).toBeLessThanOrEqual(row.doneWorstMs);
    expect((await stack.request('GET', `/api/v1/dispatch/response-times?unit=${MONG_CAI}`, DISTRICTS.haLong.account)).status).toBe(403);
    expect((await stack.request('GET', `/api/v1/dispatch/response-times?day=30/08/2021`, 'province.duty')).body.details[0].path).toBe('query.day');
  });
});
