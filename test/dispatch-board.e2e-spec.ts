import { Queue } from 'bullmq';
import { QUEUES } from '@frontline/queue';
import { DISTRICTS, EventFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

/**
 * What the dispatch board needs of the backend: the nearest available teams (against a direct
 * PostGIS computation), the open reports list, supply tasks of a lockdown, and the escalation
 * sweep that escalates a task whose deadline job never made it into Redis.
 */
describe('dispatch board: nearest teams, open reports, supply tasks, escalation sweep', () => {
  const stack = new TestStack({
    env: {
      // Critical tasks: 2 s to acknowledge, each escalation level 2 s later; the sweep every second.
      DISPATCH_ACK_DEADLINES: 'critical=2,high=3600,normal=3600,low=3600',
      ESCALATION_SWEEP_INTERVAL_MS: '1000',
    },
  });
  const MONG_CAI = DISTRICTS.mongCai.code;
  const PLACE = { lat: 21.53, lon: 107.96 };
  const HOUR = 3600_000;

  async function newTask(body: Record<string, unknown> = {}, user = 'province.duty'): Promise<string> {
    const res = await stack.request('POST', '/api/v1/dispatch/tasks', user, { type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'normal', ...body });
    expect(res.status).toBe(201);
    return res.body.task.id as string;
  }

  /** The same answer computed by PostGIS directly over the teams table. */
  async function nearestByPostgis(taskId: string, within: string, kind: string | null, limit: number) {
    const { rows } = await stack.db.query(
      `SELECT tm.id, round(ST_Distance(tm.base_location, t.place))::int AS d FROM teams tm, tasks t
       WHERE t.id = $1 AND tm.status = 'available' AND tm.base_location IS NOT NULL AND $2 = ANY(tm.unit_path)
         AND ($3::text IS NULL OR tm.kind = $3)
       ORDER BY ST_Distance(tm.base_location, t.place), tm.name LIMIT $4`,
      [taskId, within, kind, limit],
    );
    return rows.map((r: { id: string; d: number }) => ({ id: r.id, distanceM: r.d }));
  }

  beforeAll(async () => {
    await stack.start();
  }, 90_000);
  afterAll(() => stack.stop());

  it('lists the nearest available teams of the task kind with their distance, as PostGIS computes it', async () => {
    const taskId = await newTask();
    // A team based 300 m from the place, and one next to it that is off duty (never proposed).
    const near = await stack.request('POST', '/api/v1/dispatch/teams', 'province.duty', { unit: MONG_CAI, name: 'Tổ truy vết cơ động', kind: 'tracing', base: { lat: 21.5327, lon: 107.96 } });
    const off = await stack.request('POST', '/api/v1/dispatch/teams', 'province.duty', { unit: MONG_CAI, name: 'Tổ truy vết nghỉ', kind: 'tracing', base: { lat: 21.5301, lon: 107.96 } });
    expect([near.status, off.status]).toEqual([201, 201]);
    expect((await stack.request('POST', `/api/v1/dispatch/teams/${off.body.id}/status`, 'province.duty', { status: 'off-duty' })).status).toBe(201);

    const res = await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}/nearest-teams?limit=8`, 'province.duty');
    expect(res.status).toBe(200);
    const got = res.body.teams.map((t: { team: { id: string }; distanceM: number }) => ({ id: t.team.id, distanceM: t.distanceM }));
    expect(got).toEqual(await nearestByPostgis(taskId, '22', 'tracing', 8));
    expect(got).toHaveLength(8);
    expect(got[0]).toEqual({ id: near.body.id, distanceM: expect.any(Number) });
    expect(got[0].distanceM).toBeGreaterThan(250);
    expect(got[0].distanceM).toBeLessThan(350);
    expect(got.map((t: { id: string }) => t.id)).not.toContain(off.body.id);
    expect(res.body.teams.every((t: { team: { kind: string; status: string } }) => t.team.kind === 'tracing' && t.team.status === 'available')).toBe(true);

    // A district officer gets the teams of the district only; a supply task takes any kind.
    const district = await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}/nearest-teams`, DISTRICTS.mongCai.account);
    expect(district.body.teams.map((t: { team: { id: string } }) => t.team.id)).toEqual((await nearestByPostgis(taskId, MONG_CAI, 'tracing', 5)).map((t) => t.id));
    const supply = await newTask({ type: 'supply' });
    const anyKind = await stack.request('GET', `/api/v1/dispatch/tasks/${supply}/nearest-teams?limit=6`, 'province.duty');
    expect(anyKind.body.teams.map((t: { team: { id: string }; distanceM: number }) => ({ id: t.team.id, distanceM: t.distanceM }))).toEqual(
      await nearestByPostgis(supply, '22', null, 6),
    );

    // The KNN ordering can use the partial index of available bases (forced: the table is small).
    await stack.db.query('SET enable_seqscan = off');
    const plan = await stack.db.query(
      `EXPLAIN SELECT id FROM teams WHERE status = 'available' AND base_location IS NOT NULL
       ORDER BY base_location <-> ST_SetSRID(ST_MakePoint(107.96, 21.53), 4326)::geography LIMIT 5`,
    );
    await stack.db.query('RESET enable_seqscan');
    expect(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')).toMatch(/teams_available_base_idx/);

    // Refusals: bad limit, unknown task, another district's officer, a field role.
    const bad = await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}/nearest-teams?limit=0`, 'province.duty');
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toMatch(/limit/);
    expect((await stack.request('GET', `/api/v1/dispatch/tasks/00000000-0000-4000-8000-000000000000/nearest-teams`, 'province.duty')).status).toBe(404);
    expect((await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}/nearest-teams`, DISTRICTS.haLong.account)).status).toBe(404);
    for (const id of [taskId, supply]) await stack.request('POST', `/api/v1/dispatch/tasks/${id}/cancel`, 'province.duty', { reason: 'Thử xong' });
  });

  it('lists open reports newest first with their priority, tasks and a likely-duplicate hint', async () => {
    const [a, b, far] = [
      EventFactory.reportReceived('gathering').inUnit(MONG_CAI).at(21.52, 107.95).ago(60_000).build(),
      EventFactory.reportReceived('gathering').inUnit(MONG_CAI).at(21.521, 107.951).ago(30_000).build(),
      EventFactory.reportReceived('other').inUnit(MONG_CAI).at(21.45, 107.8).build(),
    ];
    await stack.postEvents(DISTRICTS.mongCai.account, [a, b, far]);
    expect((await stack.request('POST', `/api/v1/dispatch/reports/${a.id}/triage`, DISTRICTS.mongCai.account, { priority: 'high' })).status).toBe(201);
    const taskId = await newTask({ reportId: a.id }, DISTRICTS.mongCai.account);

    const res = await stack.request('GET', `/api/v1/dispatch/reports?unit=${MONG_CAI}`, DISTRICTS.mongCai.account);
    expect(res.status).toBe(200);
    const ours = res.body.reports.filter((r: { reportId: string }) => [a.id, b.id, far.id].includes(r.reportId));
    expect(ours.map((r: { reportId: string }) => r.reportId)).toEqual([far.id, b.id, a.id]);
    expect(ours[2]).toMatchObject({ category: 'gathering', priority: 'high', taskIds: [taskId], likelyDuplicates: 1, place: { lat: 21.52, lon: 107.95 } });
    expect(ours[1]).toMatchObject({ priority: null, likelyDuplicates: 1 });
    expect(ours[0]).toMatchObject({ likelyDuplicates: 0 });
    // The caller's phone is personal data: never in this list.
    expect(JSON.stringify(res.body)).not.toContain('0912 345 678');

    // Merged and closed reports leave the list.
    expect((await stack.request('POST', `/api/v1/dispatch/reports/${b.id}/merge`, DISTRICTS.mongCai.account, { intoReportId: a.id })).status).toBe(201);
    expect((await stack.request('POST', `/api/v1/dispatch/reports/${far.id}/close`, DISTRICTS.mongCai.account, { reason: 'Trùng tin' })).status).toBe(201);
    const after = await stack.request('GET', `/api/v1/dispatch/reports`, DISTRICTS.mongCai.account);
    const ids = after.body.reports.map((r: { reportId: string }) => r.reportId);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(b.id);
    expect(ids).not.toContain(far.id);
    expect(after.body.reports.find((r: { reportId: string }) => r.reportId === a.id).likelyDuplicates).toBe(0);
    expect((await stack.request('GET', `/api/v1/dispatch/reports?unit=${MONG_CAI}`, DISTRICTS.haLong.account)).status).toBe(403);
    await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'Thử xong' });
  });

  it('creates supply tasks for a lockdown through the task path and lists them per lockdown', async () => {
    const box = { west: 107.94, east: 107.98, south: 21.51, north: 21.55 };
    const now = Date.now();
    const lockdown = await stack.request('POST', '/api/v1/zones/lockdowns', 'province.commander', {
      unit: MONG_CAI,
      decisionNumber: '12/QĐ-BCĐ',
      area: { type: 'Polygon', coordinates: [[[box.west, box.south], [box.east, box.south], [box.east, box.north], [box.west, box.north], [box.west, box.south]]] },
      startsAt: new Date(now).toISOString(),
      plannedEnd: new Date(now + 14 * 24 * HOUR).toISOString(),
    });
    expect(lockdown.status).toBe(201);
    const id = lockdown.body.id as string;

    const supply = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, {
      type: 'supply', unit: MONG_CAI, place: PLACE, priority: 'normal', lockdownId: id, note: 'Gạo, rau cho 12 hộ',
    });
    expect(supply.status).toBe(201);
    expect(supply.body.task).toMatchObject({ type: 'supply', lockdownId: id, state: 'created' });
    const created = await stack.db.query(`SELECT payload FROM event_log WHERE type = 'task.created' AND payload->>'taskId' = $1`, [supply.body.task.id]);
    expect(created.rows[0].payload).toMatchObject({ taskType: 'supply', lockdownId: id });
    const second = await newTask({ type: 'supply', lockdownId: id, place: { lat: 21.54, lon: 107.97 } });
    expect((await stack.request('POST', `/api/v1/dispatch/tasks/${second}/cancel`, 'province.duty', { reason: 'Đã có hàng' })).status).toBe(201);

    const all = await stack.request('GET', `/api/v1/zones/lockdowns/${id}/supply-tasks`, DISTRICTS.mongCai.account);
    expect(all.status).toBe(200);
    expect(all.body.tasks.map((t: { id: string }) => t.id)).toEqual([second, supply.body.task.id]);
    const open = await stack.request('GET', `/api/v1/zones/lockdowns/${id}/supply-tasks?open=true`, DISTRICTS.mongCai.account);
    expect(open.body.tasks.map((t: { id: string }) => t.id)).toEqual([supply.body.task.id]);
    expect((await stack.request('GET', `/api/v1/zones/lockdowns/${id}/counts`, DISTRICTS.mongCai.account)).body.openSupplyTasks).toBe(1);

    // Refusals name the field and write nothing.
    const before = await stack.count(`SELECT count(*) FROM tasks`);
    const outside = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'supply', unit: MONG_CAI, place: { lat: 21.45, lon: 107.8 }, priority: 'normal', lockdownId: id });
    expect(outside.status).toBe(400);
    expect(outside.body.details[0].path).toBe('body.place');
    const wrongType = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'normal', lockdownId: id });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details[0].path).toBe('body.lockdownId');
    const unknown = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'supply', unit: MONG_CAI, place: PLACE, priority: 'normal', lockdownId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect((await stack.request('GET', `/api/v1/zones/lockdowns/${id}/supply-tasks`, DISTRICTS.haLong.account)).status).toBe(404);
    expect((await stack.request('GET', `/api/v1/zones/lockdowns/${id}/supply-tasks?open=yes`, DISTRICTS.mongCai.account)).status).toBe(400);
    expect((await stack.request('POST', `/api/v1/zones/lockdowns/${id}/lift`, 'province.commander', { decisionNumber: '13/QĐ-BCĐ' })).status).toBe(201);
    const lifted = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, { type: 'supply', unit: MONG_CAI, place: PLACE, priority: 'normal', lockdownId: id });
    expect(lifted.status).toBe(409);
    expect(await stack.count(`SELECT count(*) FROM tasks`)).toBe(before);
    await stack.request('POST', `/api/v1/dispatch/tasks/${supply.body.task.id}/cancel`, DISTRICTS.mongCai.account, { reason: 'Thử xong' });
  });

  it('escalates exactly once per level a task whose deadline job is missing from Redis (the sweep adds it again)', async () => {
    const queue = new Queue('escalations', { connection: { url: stack.redisUrl }, prefix: `${stack.prefix}bull` });
    try {
      const taskId = await newTask({ priority: 'critical' }, DISTRICTS.mongCai.account);
      // Its events have scheduled its deadline jobs (task.created, and task.assigned again)...
      await stack.consumed('follow-up-jobs');
      // ...and, as if Redis had been away when the task was created, the jobs are gone.
      const removed = await Promise.all(['acknowledge', 'finish'].map((d) => queue.remove(`esc_${taskId}_${d}_1`)));
      expect(removed).toEqual([1, 1]);
      const levels = async () =>
        (
          await stack.db.query(`SELECT (payload->>'level')::int AS level FROM event_log WHERE type = 'task.escalated' AND payload->>'taskId' = $1 ORDER BY seq`, [taskId])
        ).rows.map((r: { level: number }) => r.level);
      await waitFor('three escalation levels', async () => (await levels()).length >= 3, 40_000, 250);
      await stack.checkRuns(QUEUES.escalationSweeps, 2); // more sweeps: nothing doubles
      expect(await levels()).toEqual([1, 2, 3]);
      expect(await stack.count(`SELECT count(*) FROM task_escalations WHERE task_id = $1`, [taskId])).toBe(3);
      // The finish deadline is hours away, past the sweep's horizon: a later round adds its job.
      expect(await queue.getJobState(`esc_${taskId}_finish_1`)).toBe('unknown');
      await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'Thử xong' });
    } finally {
      await queue.close();
    }
  });
});
