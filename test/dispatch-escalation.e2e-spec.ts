import { Queue } from 'bullmq';
import { type DeadlineKind, escalationJobId, QUEUES } from '@frontline/queue';
import { DISTRICTS } from './support/factories';
import { LiveClient } from './support/live-client';
import { TestStack } from './support/stack';
import { sleep, waitFor } from './support/wait';

/**
 * Escalation of task deadlines with BullMQ delayed jobs, against two worker processes. Deadlines
 * are seconds here: critical tasks must be acknowledged within 2 s, each level waits as long again.
 */
describe('dispatch: escalation of missed deadlines', () => {
  const stack = new TestStack({
    processes: true,
    env: {
      DISPATCH_ACK_DEADLINES: 'critical=2,high=4,normal=6,low=3600',
      DISPATCH_FINISH_DEADLINES: 'critical=3600,high=7,normal=3600,low=3600',
    },
  });
  const MONG_CAI = DISTRICTS.mongCai.code;
  const PLACE = { lat: 21.53, lon: 107.96 };
  let live: LiveClient;
  let teamId: string;

  interface Escalation {
    id: string;
    occurred_at: Date;
    payload: { taskId: string; deadline: string; level: number; targetUnit: string; source: string; staffIds: string[]; userIds: string[] };
  }
  const escalations = async (taskId: string) =>
    (
      await stack.db.query(
        `SELECT id, occurred_at, payload FROM event_log WHERE type = 'task.escalated' AND payload->>'taskId' = $1 ORDER BY seq`,
        [taskId],
      )
    ).rows as Escalation[];

  /** The escalation jobs of these levels of a task's deadline (their ids are derived from it). */
  const jobsOf = (taskId: string, deadline: DeadlineKind, levels: (1 | 2 | 3)[]) =>
    levels.map((level) => escalationJobId({ taskId, deadline, level }));

  async function task(priority: string, unit: string = MONG_CAI, user: string = DISTRICTS.mongCai.account, assign = true): Promise<string> {
    const res = await stack.request('POST', '/api/v1/dispatch/tasks', user, {
      type: 'tracing',
      unit,
      place: PLACE,
      priority,
      ...(assign && unit === MONG_CAI ? { teamId } : {}),
    });
    expect(res.status).toBe(201);
    return res.body.task.id;
  }

  /** Staff ids on duty in `unit` at `at` for these positions, from the roster API. */
  async function onDuty(unit: string, at: Date, positions: string[]): Promise<string[]> {
    const res = await stack.request('GET', `/api/v1/roster/on-duty?unit=${unit}&at=${encodeURIComponent(at.toISOString())}`, 'province.duty');
    expect(res.status).toBe(200);
    return (res.body.centers as { positions: { position: string; people: { staffId: string }[] }[] }[])
      .flatMap((c) => c.positions.filter((p) => positions.includes(p.position)).flatMap((p) => p.people.map((x) => x.staffId)))
      .sort();
  }

  beforeAll(async () => {
    await stack.start();
    await stack.addWorker();
    teamId = (await stack.request('GET', '/api/v1/dispatch/teams', DISTRICTS.mongCai.account)).body.teams.find(
      (t: { kind: string }) => t.kind === 'tracing',
    ).id;
    live = await new LiveClient(stack.apiUrl, await stack.token('province.duty')).connect();
  }, 90_000);
  afterAll(async () => {
    live?.disconnect();
    await stack.stop();
  });

  it('escalates an unacknowledged task at its deadline: duty officer, then commander, then the province', async () => {
    const taskId = await task('critical');
    const created = await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}`, DISTRICTS.mongCai.account);
    const due = Date.parse(created.body.acknowledgeBy);
    const all = (await waitFor('three escalation levels', async () => {
      const rows = await escalations(taskId);
      return rows.length >= 3 ? rows : null;
    }, 40_000, 200))!;
    // Every level's job has run to its end (the last one schedules nothing more).
    await stack.jobsSettled(QUEUES.escalations, jobsOf(taskId, 'acknowledge', [1, 2, 3]));
    expect(await escalations(taskId)).toHaveLength(3);
    expect(all.map((e) => [e.payload.deadline, e.payload.level, e.payload.targetUnit])).toEqual([
      ['acknowledge', 1, MONG_CAI],
      ['acknowledge', 2, MONG_CAI],
      ['acknowledge', 3, '22'],
    ]);
    // Never before the deadline; each level a step (2 s) after the previous one.
    all.forEach((e, i) => expect(e.occurred_at.getTime()).toBeGreaterThanOrEqual(due + i * 2000 - 50));
    // The people alerted are those on duty at that instant (the demo roster), by id only.
    expect(all[0].payload.source).toBe('roster');
    expect(all[0].payload.staffIds).toEqual(await onDuty(MONG_CAI, all[0].occurred_at, ['duty-officer']));
    expect(all[1].payload.staffIds).toEqual(await onDuty(MONG_CAI, all[1].occurred_at, ['commander']));
    expect(all[2].payload.staffIds).toEqual(await onDuty('22', all[2].occurred_at, ['duty-officer', 'commander']));
    expect(all[0].payload.staffIds.length).toBeGreaterThan(0);
    expect(all[1].payload.staffIds.length).toBeGreaterThan(0);
    // Critical, and pushed live to the consoles.
    await waitFor('escalation pushed live', () => live.events.some((e) => e.type === 'task.escalated' && e.payload.taskId === taskId && e.payload.level === 3));
    expect(live.events.find((e) => e.type === 'task.escalated' && e.payload.taskId === taskId)!.unit).toBe(MONG_CAI);
  });

  it('never escalates an acknowledged task, with two workers running, while unacknowledged ones escalate once per level', async () => {
    // Acknowledged ones have 6 s (normal), left alone ones 2 s (critical).
    const acked = await Promise.all(Array.from({ length: 4 }, () => task('normal')));
    const left = await Promise.all(Array.from({ length: 4 }, () => task('critical')));
    const answers = await Promise.all(
      acked.map((id) => stack.request('POST', `/api/v1/dispatch/tasks/${id}/acknowledge`, DISTRICTS.mongCai.account, {})),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    await waitFor('the others to reach level 3', async () => {
      for (const id of left) if ((await escalations(id)).length < 3) return false;
      return true;
    }, 40_000, 250);
    // The acknowledgements have dropped their tasks' jobs (or the jobs ran and found them met),
    // and every job of the others has run: nothing can escalate any more.
    await stack.consumed('follow-up-jobs');
    await stack.jobsSettled(QUEUES.escalations, [
      ...acked.flatMap((id) => jobsOf(id, 'acknowledge', [1])),
      ...left.flatMap((id) => jobsOf(id, 'acknowledge', [1, 2, 3])),
    ], 40_000);
    for (const id of acked) expect(await escalations(id)).toHaveLength(0);
    for (const id of left) expect((await escalations(id)).map((e) => e.payload.level)).toEqual([1, 2, 3]);
    expect(await stack.count(`SELECT count(*) FROM task_escalations WHERE task_id = ANY($1)`, [acked])).toBe(0);
    expect(await stack.count(`SELECT count(*) FROM task_escalations WHERE task_id = ANY($1)`, [left])).toBe(12);
    for (const id of [...acked, ...left]) {
      await stack.request('POST', `/api/v1/dispatch/tasks/${id}/cancel`, DISTRICTS.mongCai.account, { reason: 'Thử xong' });
    }
  });

  it('escalates once even when the same deadline is run by several jobs on both workers at once', async () => {
    const taskId = await task('low');
    const queue = new Queue('escalations', { connection: { url: stack.redisUrl }, prefix: `${stack.prefix}bull` });
    try {
      const job = { taskId, deadline: 'acknowledge', level: 3, due: new Date().toISOString() };
      const jobs = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.add('escalate', job, { jobId: `dup_${taskId}_${i}` })));
      await waitFor('the jobs to run', async () => {
        const states = await Promise.all(jobs.map((j) => queue.getJobState(j.id!)));
        return states.every((s) => s === 'completed');
      }, 20_000, 100);
    } finally {
      await queue.close();
    }
    const rows = await escalations(taskId);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ level: 3, targetUnit: '22' });
    await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'Thử xong' });
  });

  it('escalates a missed finish deadline of an acknowledged task, and stops once it is done', async () => {
    const taskId = await task('high');
    expect((await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/acknowledge`, DISTRICTS.mongCai.account, {})).status).toBe(201);
    const first = await waitFor('the finish escalation', async () => (await escalations(taskId))[0], 30_000, 200);
    expect(first.payload).toMatchObject({ deadline: 'finish', level: 1 });
    expect((await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/complete`, DISTRICTS.mongCai.account, {})).status).toBe(201);
    // Completing dropped level 2 (scheduled by level 1), or it ran and found the task done.
    await stack.consumed('follow-up-jobs');
    await stack.jobsSettled(QUEUES.escalations, jobsOf(taskId, 'finish', [2, 3]));
    expect((await escalations(taskId)).map((e) => [e.payload.deadline, e.payload.level])).toEqual([['finish', 1]]);
  });

  it('falls back to the unit accounts with the role when the unit has no roster', async () => {
    await stack.db.query(`DELETE FROM command_centers WHERE unit_code = $1`, [DISTRICTS.coTo.code]);
    const taskId = await task('critical', DISTRICTS.coTo.code, 'province.duty', false);
    const first = await waitFor('level 1', async () => (await escalations(taskId))[0], 30_000, 200);
    const coToDuty = (await stack.db.query(`SELECT id FROM users WHERE username = $1`, [DISTRICTS.coTo.account])).rows[0].id;
    expect(first.payload).toMatchObject({ level: 1, targetUnit: DISTRICTS.coTo.code, source: 'accounts', staffIds: [], userIds: [coToDuty] });
    await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/cancel`, 'province.duty', { reason: 'Thử xong' });
  });

  it('still escalates after the workers were killed before the deadline and one is restarted', async () => {
    const taskId = await task('normal'); // acknowledge within 6 s
    const due = Date.parse((await stack.request('GET', `/api/v1/dispatch/tasks/${taskId}`, DISTRICTS.mongCai.account)).body.acknowledgeBy);
    await stack.consumed('follow-up-jobs'); // its deadline job is in Redis
    await Promise.all([stack.worker.kill9(), ...stack.extraWorkers.map((w) => w.kill9())]);
    // Past the deadline with no worker: the job is still waiting for one, nothing escalated.
    await sleep(Math.max(0, due + 500 - Date.now()));
    expect(await stack.withQueue(QUEUES.escalations, (q) => q.getJobState(jobsOf(taskId, 'acknowledge', [1])[0]))).toBe('delayed');
    expect(await escalations(taskId)).toHaveLength(0);
    await stack.worker.start();
    const first = await waitFor('the escalation after the restart', async () => (await escalations(taskId))[0], 30_000, 200);
    expect(first.payload).toMatchObject({ deadline: 'acknowledge', level: 1, targetUnit: MONG_CAI });
    await stack.request('POST', `/api/v1/dispatch/tasks/${taskId}/cancel`, DISTRICTS.mongCai.account, { reason: 'Thử xong' });
    await stack.consumed('follow-up-jobs');
    await stack.jobsSettled(QUEUES.escalations, jobsOf(taskId, 'acknowledge', [2, 3]));
    expect((await escalations(taskId)).map((e) => e.payload.level)).toEqual([1]);
  });
});
