import { randomUUID } from 'node:crypto';
import { DISTRICTS, EventFactory } from './support/factories';
import { TestStack } from './support/stack';

/** Teams and tasks: the state machine, its refusals, jurisdiction and idempotent actions. */
describe('dispatch: teams and tasks', () => {
  const stack = new TestStack();
  const MONG_CAI = DISTRICTS.mongCai.code;
  const PLACE = { lat: 21.53, lon: 107.96 };
  let teamId: string;
  let fieldUserId: string;

  const events = async (taskId: string) =>
    (
      await stack.db.query(
        `SELECT type, actor, unit_code, payload FROM event_log WHERE payload->>'taskId' = $1 ORDER BY seq`,
        [taskId],
      )
    ).rows as { type: string; actor: string; unit_code: string; payload: Record<string, unknown> }[];

  const userId = async (username: string) =>
    String((await stack.db.query(`SELECT id FROM users WHERE username = $1`, [username])).rows[0].id);

  async function newTask(extra: Record<string, unknown> = {}, user = DISTRICTS.mongCai.account) {
    const res = await stack.request('POST', '/api/v1/dispatch/tasks', user, {
      type: 'tracing',
      unit: MONG_CAI,
      place: PLACE,
      priority: 'normal',
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body.task.id as string;
  }

  async function post(path: string, user: string, body: unknown = {}, headers: Record<string, string> = {}) {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(user)}`, ...headers },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
    return { status: res.status, body: (await res.json()) as any };
  }

  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('mong-cai.field1', 'field-team', MONG_CAI);
    await stack.createAccount('mong-cai.field2', 'field-team', MONG_CAI);
    await stack.createAccount('mong-cai.lab', 'lab', MONG_CAI);
    fieldUserId = await userId('mong-cai.field1');
    const created = await stack.request('POST', '/api/v1/dispatch/teams', DISTRICTS.mongCai.account, {
      unit: MONG_CAI,
      name: 'Tổ truy vết thử',
      kind: 'tracing',
      base: { lat: 21.52, lon: 107.95 },
      memberUserIds: [fieldUserId],
    });
    expect(created.status).toBe(201);
    teamId = created.body.id;
  }, 90_000);
  afterAll(() => stack.stop());

  it('lists the seeded teams of the caller jurisdiction only', async () => {
    const own = await stack.request('GET', '/api/v1/dispatch/teams', DISTRICTS.mongCai.account);
    expect(own.status).toBe(200);
    expect(own.body.teams.length).toBeGreaterThanOrEqual(4);
    expect(own.body.teams.every((t: { unit: string }) => t.unit === MONG_CAI)).toBe(true);
    expect(own.body.teams.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['tracing', 'sample-collection', 'cordon', 'border-patrol']));
    const province = await stack.request('GET', `/api/v1/dispatch/teams?unit=${MONG_CAI}`, 'province.duty');
    expect(province.body.teams.length).toBe(own.body.teams.length);
    expect((await stack.request('GET', `/api/v1/dispatch/teams?unit=${MONG_CAI}`, DISTRICTS.haLong.account)).status).toBe(403);
    const bad = await stack.request('GET', '/api/v1/dispatch/teams?status=busy', DISTRICTS.mongCai.account);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('query.status');
  });

  it('runs a task from created to done, one event per step with its actor, in the same transaction', async () => {
    const duty = await userId(DISTRICTS.mongCai.account);
    const taskId = await newTask();
    const assigned = await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId });
    expect(assigned.status).toBe(201);
    expect(assigned.body.task).toMatchObject({ state: 'assigned', teamId });
    expect((await stack.request('GET', '/api/v1/dispatch/teams', DISTRICTS.mongCai.account)).body.teams.find((t: { id: string }) => t.id === teamId).status).toBe('on-task');

    // The field member acknowledges and reports progress, one tap each.
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.field1')).status).toBe(201);
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/progress`, 'mong-cai.field1', { state: 'en-route' })).status).toBe(201);
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/progress`, 'mong-cai.field1', { state: 'on-scene' })).status).toBe(201);
    const done = await post(`/api/v1/dispatch/tasks/${taskId}/complete`, 'mong-cai.field1');
    expect(done.status).toBe(201);
    expect(done.body.task.state).toBe('done');

    const log = await events(taskId);
    expect(log.map((e) => e.type)).toEqual([
      'task.created',
      'task.assigned',
      'team.status-changed',
      'task.acknowledged',
      'task.progressed',
      'task.progressed',
      'task.completed',
      'team.status-changed',
    ]);
    expect(log.slice(0, 3).every((e) => e.actor === `user:${duty}`)).toBe(true);
    expect(log.slice(3).every((e) => e.actor === `user:${fieldUserId}`)).toBe(true);
    expect(log.every((e) => e.unit_code === MONG_CAI)).toBe(true);
    expect(log[2].payload).toMatchObject({ teamId, status: 'on-task', previous: 'available' });
    expect(log[7].payload).toMatchObject({ teamId, status: 'available', previous: 'on-task' });
    // The transition log holds the same steps, each pointing at its event.
    const transitions = await stack.db.query(
      `SELECT t.to_state, e.type FROM task_transitions t JOIN event_log e ON e.id = t.event_id WHERE t.task_id = $1 ORDER BY t.id`,
      [taskId],
    );
    expect(transitions.rows.map((r) => r.to_state)).toEqual(['created', 'assigned', 'acknowledged', 'en-route', 'on-scene', 'done']);
    // No event is left unpublished once answered.
    expect(await stack.count(`SELECT count(*) FROM event_log JOIN event_outbox USING (seq) WHERE payload->>'taskId' = $1`, [taskId])).toBe(0);
  });

  it('creates and assigns in one request; a re-sent create with the same client action id makes no second task', async () => {
    const body = { type: 'cordon', unit: MONG_CAI, place: PLACE, priority: 'high', teamId, clientActionId: `create-${randomUUID()}` };
    const first = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, body);
    expect(first.status).toBe(201);
    expect(first.body.task.state).toBe('assigned');
    const again = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyApplied: true, eventId: null, task: { id: first.body.task.id } });
    expect(await stack.count(`SELECT count(*) FROM tasks WHERE client_action_id = $1`, [body.clientActionId])).toBe(1);
    expect((await events(first.body.task.id)).filter((e) => e.type === 'task.created')).toHaveLength(1);
    await post(`/api/v1/dispatch/tasks/${first.body.task.id}/cancel`, DISTRICTS.mongCai.account, { reason: 'Trùng nhiệm vụ' });
  });

  it('applies an acknowledgement retried many times (same client action id, header or body) exactly once', async () => {
    const taskId = await newTask({ teamId });
    const key = `ack-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2
          ? post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.field1', { clientActionId: key })
          : post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.field1', {}, { 'Idempotency-Key': key }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(answers.every((a) => a.body.task.state === 'acknowledged')).toBe(true);
    expect((await events(taskId)).filter((e) => e.type === 'task.acknowledged')).toHaveLength(1);
    // Another acknowledgement with a new id is a refusal, not a second event.
    const other = await post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.field1', { clientActionId: `ack-${randomUUID()}` });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/already acknowledged/);
    // The same id for another action is refused with a clear message.
    const reused = await post(`/api/v1/dispatch/tasks/${taskId}/complete`, 'mong-cai.field1', { clientActionId: key });
    expect(reused.status).toBe(409);
    expect(reused.body.message).toMatch(/already used for "acknowledge"/);
    const mismatch = await post(`/api/v1/dispatch/tasks/${taskId}/complete`, 'mong-cai.field1', { clientActionId: 'aaaaaaaa-1' }, { 'Idempotency-Key': 'bbbbbbbb-2' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.details[0].path).toBe('body.clientActionId');
    await post(`/api/v1/dispatch/tasks/${taskId}/complete`, 'mong-cai.field1');
  });

  it('refuses transitions the state machine does not allow with 409 and a clear message', async () => {
    const taskId = await newTask();
    const ack = await post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, DISTRICTS.mongCai.account);
    expect(ack.status).toBe(409);
    expect(ack.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/not assigned to a team yet/) });
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/complete`, DISTRICTS.mongCai.account)).status).toBe(409);

    await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId });
    const early = await post(`/api/v1/dispatch/tasks/${taskId}/progress`, 'mong-cai.field1', { state: 'on-scene' });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/not acknowledged the task yet/);
    await post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.field1');
    await post(`/api/v1/dispatch/tasks/${taskId}/progress`, 'mong-cai.field1', { state: 'on-scene' });
    const back = await post(`/api/v1/dispatch/tasks/${taskId}/progress`, 'mong-cai.field1', { state: 'en-route' });
    expect(back.status).toBe(409);
    expect(back.body.message).toMatch(/already on-scene/);
    const reassign = await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId });
    expect(reassign.status).toBe(409);

    const cancelled = await post(`/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'Tin báo sai' });
    expect(cancelled.status).toBe(201);
    expect(cancelled.body.task).toMatchObject({ state: 'cancelled', cancelReason: 'Tin báo sai' });
    const complete = await post(`/api/v1/dispatch/tasks/${taskId}/complete`, 'mong-cai.field1');
    expect(complete.status).toBe(409);
    expect(complete.body.message).toMatch(/cancelled/);
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'lại' })).status).toBe(409);
    expect((await events(taskId)).filter((e) => e.type === 'task.cancelled')).toHaveLength(1);
    expect((await events(taskId)).filter((e) => e.type === 'task.cancelled')[0].payload.reason).toBe('Tin báo sai');
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const before = await stack.count('SELECT count(*) FROM event_log');
    const tasksBefore = await stack.count('SELECT count(*) FROM tasks');
    const cases: [unknown, string][] = [
      [{ type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'urgent' }, 'body.priority'],
      [{ type: 'swimming', unit: MONG_CAI, place: PLACE, priority: 'normal' }, 'body.type'],
      [{ type: 'tracing', unit: MONG_CAI, place: { lat: 95, lon: 107 }, priority: 'normal' }, 'body.place.lat'],
      [{ type: 'tracing', unit: MONG_CAI, priority: 'normal' }, 'body.place'],
      [{ type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'normal', callerName: 'Nguyễn Văn A' }, 'body'],
      [{ type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'normal', teamId: 'team-1' }, 'body.teamId'],
      [{ type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'normal', clientActionId: 'x' }, 'body.clientActionId'],
    ];
    for (const [body, path] of cases) {
      const res = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.mongCai.account, body);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const taskId = await newTask();
    const noReason = await post(`/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0].path).toBe('body.reason');
    const badState = await post(`/api/v1/dispatch/tasks/${taskId}/progress`, DISTRICTS.mongCai.account, { state: 'done' });
    expect(badState.body.details[0].path).toBe('body.state');
    expect((await post(`/api/v1/dispatch/tasks/not-a-uuid/acknowledge`, DISTRICTS.mongCai.account)).body.details[0].path).toBe('params.id');
    expect((await post(`/api/v1/dispatch/tasks/${randomUUID()}/acknowledge`, DISTRICTS.mongCai.account)).status).toBe(404);
    const unknownTeam = await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId: randomUUID() });
    expect(unknownTeam.status).toBe(404);
    expect(unknownTeam.body.details[0].path).toBe('body.teamId');
    expect(await stack.count('SELECT count(*) FROM tasks')).toBe(tasksBefore + 1);
    expect(await stack.count('SELECT count(*) FROM event_log')).toBe(before + 1);
  });

  it('keeps every action inside the jurisdiction (outside: as unknown, 404) and to the right roles', async () => {
    const taskId = await newTask();
    // Another district sees and touches nothing of Móng Cái.
    expect((await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}`, DISTRICTS.haLong.account)).status).toBe(404);
    expect((await stack.request('GET', `/api/v1/dispatch/tasks?unit=${MONG_CAI}`, DISTRICTS.haLong.account)).status).toBe(403);
    const own = await stack.request('GET', '/api/v1/dispatch/tasks', DISTRICTS.haLong.account);
    expect(own.body.tasks.some((t: { id: string }) => t.id === taskId)).toBe(false);
    for (const [action, body] of [
      ['assign', { teamId }],
      ['acknowledge', {}],
      ['cancel', { reason: 'x' }],
    ] as const) {
      const res = await post(`/api/v1/dispatch/tasks/${taskId}/${action}`, DISTRICTS.haLong.account, body);
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/no task with id/);
    }
    const elsewhere = await stack.request('POST', '/api/v1/dispatch/tasks', DISTRICTS.haLong.account, { type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'normal' });
    expect(elsewhere.status).toBe(403);
    // A Hạ Long team cannot be sent by Móng Cái: answered as an unknown team.
    const haLongTeam = (await stack.request('GET', '/api/v1/dispatch/teams', DISTRICTS.haLong.account)).body.teams[0].id;
    const foreignTeam = await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId: haLongTeam });
    expect(foreignTeam.status).toBe(404);
    // The province may act on a district task.
    expect((await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}`, 'province.duty')).status).toBe(200);

    // Field members: only the assigned team's members, only field actions.
    await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId });
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.field2')).status).toBe(403);
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/cancel`, 'mong-cai.field1', { reason: 'x' })).status).toBe(403);
    expect((await stack.request('POST', '/api/v1/dispatch/tasks', 'mong-cai.field1', { type: 'tracing', unit: MONG_CAI, place: PLACE, priority: 'normal' })).status).toBe(403);
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.lab')).status).toBe(403);
    const mine = await stack.request('GET', '/api/v1/dispatch/tasks', 'mong-cai.field1');
    expect(mine.body.tasks.map((t: { id: string }) => t.id)).toContain(taskId);
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/acknowledge`, 'mong-cai.field1')).status).toBe(201);
    expect((await events(taskId)).filter((e) => e.type === 'task.acknowledged')).toHaveLength(1);
    await post(`/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'Kết thúc thử' });
  });

  it('does not send an off-duty team; a team with an open task cannot go off duty', async () => {
    const teams = (await stack.request('GET', '/api/v1/dispatch/teams?status=available', DISTRICTS.mongCai.account)).body.teams;
    const other = teams.find((t: { id: string; kind: string }) => t.id !== teamId && t.kind === 'disinfection') ?? teams.find((t: { id: string }) => t.id !== teamId);
    const off = await post(`/api/v1/dispatch/teams/${other.id}/status`, DISTRICTS.mongCai.account, { status: 'off-duty' });
    expect(off.status).toBe(201);
    expect(off.body.team.status).toBe('off-duty');
    const taskId = await newTask();
    const refused = await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId: other.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/off duty/);
    await post(`/api/v1/dispatch/teams/${other.id}/status`, DISTRICTS.mongCai.account, { status: 'available' });
    expect((await post(`/api/v1/dispatch/tasks/${taskId}/assign`, DISTRICTS.mongCai.account, { teamId: other.id })).status).toBe(201);
    const busy = await post(`/api/v1/dispatch/teams/${other.id}/status`, DISTRICTS.mongCai.account, { status: 'off-duty' });
    expect(busy.status).toBe(409);
    expect(busy.body.message).toMatch(/open task/);
    expect((await post(`/api/v1/dispatch/teams/${other.id}/status`, DISTRICTS.haLong.account, { status: 'available' })).status).toBe(404);
    await post(`/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'Thử xong' });
    const after = (await stack.request('GET', '/api/v1/dispatch/teams', DISTRICTS.mongCai.account)).body.teams.find((t: { id: string }) => t.id === other.id);
    expect(after.status).toBe('available');
  });

  it('refuses dispatch events through POST /api/v1/events', async () => {
    const forged = EventFactory.reportReceived().inUnit(MONG_CAI).with({ type: 'task.escalated', payload: {} }).build();
    const res = await stack.request('POST', '/api/v1/events', 'province.duty', { events: [forged] });
    expect(res.status).toBe(400);
    expect(res.body.details[0]).toMatchObject({ path: 'events[0].type', message: expect.stringMatching(/cannot be submitted here/) });
  });
});
