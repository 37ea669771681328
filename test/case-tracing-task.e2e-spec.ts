import { randomUUID } from 'node:crypto';
import { casesOfReferences, createCase, daysAgo, personBody } from './support/cases';
import { DISTRICTS, LabResultFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const MC = DISTRICTS.mongCai;

interface TaskRow {
  id: string;
  type: string;
  unit_code: string;
  priority: string;
  state: string;
  case_id: string;
}

/**
 * The rule "a new F0 opens a tracing task for its unit" (decision 0016) against the real stack:
 * two workers read the case-rules group; the acknowledge deadline of a high task is 2 s here, so
 * the escalation the API's tasks get is seen on the rule's task too.
 */
describe('a new F0 opens one tracing task for its unit', () => {
  const stack = new TestStack({
    env: {
      DISPATCH_ACK_DEADLINES: 'critical=2,high=2,normal=60,low=60',
      DISPATCH_FINISH_DEADLINES: 'critical=3600,high=3600,normal=3600,low=3600',
    },
  });

  const tasksOf = async (caseId: string): Promise<TaskRow[]> =>
    (await stack.db.query(`SELECT id, type, unit_code, priority, state, case_id FROM tasks WHERE case_id = $1`, [caseId]))
      .rows as TaskRow[];

  const oneTask = async (caseId: string): Promise<TaskRow[]> =>
    (await waitFor(`the tracing task of ${caseId}`, async () => {
      const rows = await tasksOf(caseId);
      return rows.length ? rows : null;
    }))!;

  beforeAll(async () => {
    await stack.start();
    await stack.addWorker();
    await stack.createAccount('lab.mong-cai', 'lab', MC.code);
    await stack.createAccount('field.mong-cai', 'field-team', MC.code);
  }, 120_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('a confirmed F0 gets exactly one tracing task, with its task.created and no personal data', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const [task] = await oneTask(f0.id);
    expect(task).toEqual(expect.objectContaining({ type: 'tracing', unit_code: MC.code, priority: 'high', state: 'created', case_id: f0.id }));

    const created = (
      await stack.db.query(
        `SELECT id, unit_code, actor, payload, ST_Y(location) AS lat, ST_X(location) AS lon FROM event_log
         WHERE type = 'task.created' AND payload->>'taskId' = $1`,
        [task.id],
      )
    ).rows;
    expect(created).toHaveLength(1);
    expect(created[0].actor).toBe('system:case-rules');
    expect(created[0].payload).toEqual(
      expect.objectContaining({ taskId: task.id, taskType: 'tracing', priority: 'high', caseId: f0.id }),
    );
    // The unit's label point, not the person's: the person has no location and the task still has one.
    const [unitPoint] = (await stack.db.query(`SELECT ST_Y(label_point) AS lat, ST_X(label_point) AS lon FROM admin_units WHERE code = $1`, [MC.code]))
      .rows;
    expect({ lat: created[0].lat, lon: created[0].lon }).toEqual({ lat: unitPoint.lat, lon: unitPoint.lon });
    const [{ full_name }] = (await stack.db.query(`SELECT full_name FROM people WHERE id = $1`, [f0.personId])).rows;
    expect(JSON.stringify(created[0])).not.toContain(full_name);
    expect(JSON.stringify(await stack.request('GET', `/api/v1/dispatch/tasks/${task.id}`, MC.account))).not.toContain(full_name);
    expect(await stack.count(`SELECT count(*) FROM task_transitions WHERE task_id = $1 AND to_state = 'created'`, [task.id])).toBe(1);
  });

  it('the same case.confirmed processed again (redelivered, both workers running) adds nothing', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const [task] = await oneTask(f0.id);
    const [confirmed] = (
      await stack.db.query(`SELECT id FROM event_log WHERE type = 'case.confirmed' AND payload->>'caseId' = $1`, [f0.id])
    ).rows as { id: string }[];
    // Forget the receipt, as if the first processing had never been recorded, and put the same
    // stream entry back twice: each worker may take one; the rule runs again, for real.
    const stream = `${stack.prefix}events`;
    const entries = (await stack.redis.xrange(stream, '-', '+')) as [string, string[]][];
    const entry = entries.find(([, fields]) => fields.some((f) => f.includes(confirmed.id)));
    expect(entry).toBeDefined();
    await stack.db.query(`DELETE FROM consumer_receipts WHERE consumer = 'case-rules' AND event_id = $1`, [confirmed.id]);
    await stack.redis.xadd(stream, '*', ...entry![1]);
    await stack.redis.xadd(stream, '*', ...entry![1]);
    await waitFor('the event processed again', () =>
      stack.count(`SELECT count(*) FROM consumer_receipts WHERE consumer = 'case-rules' AND event_id = $1`, [confirmed.id]),
    );
    // Both copies read and acknowledged: whatever the rule does with them is committed.
    await stack.consumed('case-rules');
    expect(await tasksOf(f0.id)).toEqual([task]);
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE type = 'task.created' AND payload->>'caseId' = $1`, [f0.id])).toBe(1);
    expect(await stack.count(`SELECT count(*) FROM task_transitions WHERE task_id = $1`, [task.id])).toBe(1);
  });

  it('an F1 turned F0 (positive result, proposal confirmed) gets its tracing task; the F1 had none', async () => {
    const source = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const f1 = await createCase(stack, MC.account, {
      person: personBody(MC.code),
      classification: 'F1',
      sourceCaseId: source.id,
      exposure: { date: daysAgo(2), setting: 'household' },
    });
    const result = await stack.request(
      'POST',
      '/api/v1/lab-results',
      'lab.mong-cai',
      LabResultFactory.antigen('positive').forPerson(f1.personId).inUnit(MC.code).build(),
    );
    expect(result.status).toBe(201);
    await waitFor('the F0 proposal', async () => (await stack.request('GET', `/api/v1/cases/${f1.id}`, MC.account)).body.proposalTestId);
    // A proposal is not an F0 yet: no task, once the rules are done with every event so far.
    await stack.consumed('case-rules');
    expect(await tasksOf(f1.id)).toEqual([]);

    expect((await stack.request('POST', `/api/v1/cases/${f1.id}/confirm`, MC.account)).status).toBe(200);
    const [task] = await oneTask(f1.id);
    expect(task).toEqual(expect.objectContaining({ type: 'tracing', unit_code: MC.code, case_id: f1.id }));
    // The source's cluster is not reached (2 cases < 5): high, the default.
    expect(task.priority).toBe('high');
  });

  it('a district user sees the tracing task in GET /dispatch/tasks (and by case); another district does not', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const [task] = await oneTask(f0.id);
    const list = await stack.request('GET', `/api/v1/dispatch/tasks?unit=${MC.code}`, MC.account);
    expect(list.status).toBe(200);
    expect(list.body.tasks).toContainEqual(expect.objectContaining({ id: task.id, type: 'tracing', caseId: f0.id, state: 'created' }));
    const byCase = await stack.request('GET', `/api/v1/dispatch/tasks?caseId=${f0.id}`, MC.account);
    expect(byCase.body.tasks.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect((await stack.request('GET', `/api/v1/dispatch/tasks?caseId=not-a-uuid`, MC.account)).status).toBe(400);
    const other = await stack.request('GET', '/api/v1/dispatch/tasks', DISTRICTS.haLong.account);
    expect(other.body.tasks.map((t: { id: string }) => t.id)).not.toContain(task.id);
  });

  it('escalation deadlines apply to it as to a task created through the API', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const [task] = await oneTask(f0.id);
    // Acknowledge deadline 2 s: level 1 escalates on the rule's task exactly once.
    const escalated = await waitFor(
      'task.escalated',
      async () => {
        const { rows } = await stack.db.query(`SELECT payload FROM event_log WHERE type = 'task.escalated' AND payload->>'taskId' = $1`, [
          task.id,
        ]);
        return rows.length ? rows : null;
      },
      20_000,
    );
    expect(escalated![0].payload).toEqual(expect.objectContaining({ taskId: task.id, deadline: 'acknowledge', level: 1, targetUnit: MC.code }));
    expect(await stack.count(`SELECT count(*) FROM task_escalations WHERE task_id = $1 AND level = 1`, [task.id])).toBe(1);
  });

  it('a case.confirmed from an integration opens the tracing task of the case it registers; a drill one opens nothing', async () => {
    const before = await stack.count(`SELECT count(*) FROM tasks`);
    const confirmed = (drill: boolean) => ({
      id: randomUUID(),
      type: 'case.confirmed',
      unit: MC.code,
      occurredAt: new Date().toISOString(),
      ...(drill ? { drill: true } : {}),
      payload: { caseId: `F0-${randomUUID().slice(0, 8)}`, method: 'rt-pcr', source: 'community' },
    });
    // The drill first, then a real one as the sentinel: once the real one has its task, the
    // drill (earlier in the same stream) has been through the rule too.
    const [drill, real] = [confirmed(true), confirmed(false)];
    await stack.postEvents(MC.account, [drill, real]);
    const caseId = (await casesOfReferences(stack, [real.payload.caseId])).get(real.payload.caseId)!;
    expect(caseId).toBeDefined();
    const [task] = await oneTask(caseId);
    expect(task).toEqual(expect.objectContaining({ type: 'tracing', unit_code: MC.code, priority: 'high', case_id: caseId }));
    expect(await stack.count(`SELECT count(*) FROM tasks`)).toBe(before + 1);
    expect((await casesOfReferences(stack, [drill.payload.caseId])).size).toBe(0);
  });
});
