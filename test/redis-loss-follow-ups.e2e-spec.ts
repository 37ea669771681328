import Redis from 'ioredis';
import { createCase, personBody } from './support/cases';
import { DISTRICTS } from './support/factories';
import { PrivateRedis } from './support/private-redis';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const MC = DISTRICTS.mongCai;
const CASES = 9;

/**
 * What follows a commit survives Redis losing everything between commits: the tracing task
 * opened by the case-rules consumer and the escalation jobs scheduled by the follow-up-jobs
 * consumer are driven by committed events (republished by the relay for every group that had
 * not applied them); jobs already added and lost with Redis are added again by the escalation
 * sweep. Acknowledge deadlines are 3 s here, so every tracing task escalates during the test.
 */
describe('fault: Redis flushed between commits of new F0s', () => {
  const redis = new PrivateRedis();
  let stack: TestStack;
  let flusher: Redis;

  beforeAll(async () => {
    await redis.start();
    flusher = new Redis(redis.url);
    stack = await new TestStack({
      redisUrl: redis.url,
      env: {
        DISPATCH_ACK_DEADLINES: 'critical=3,high=3,normal=60,low=60',
        DISPATCH_FINISH_DEADLINES: 'critical=3600,high=3600,normal=3600,low=3600',
        ESCALATION_SWEEP_INTERVAL_MS: '1000',
      },
    }).start();
  }, 90_000);
  afterAll(async () => {
    flusher?.disconnect();
    await stack?.stop();
    await redis.dispose();
  });

  it('every case.confirmed gets exactly one tracing task and every acknowledge deadline escalates once per level', async () => {
    const caseIds: string[] = [];
    for (let i = 0; i < CASES; i++) {
      caseIds.push((await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' })).id);
      // Right after a commit, at different points of what follows it (stream entry read or
      // not, task opened or not, jobs added or not).
      if (i % 3 === 2) await flusher.flushall();
    }

    const tasksPerCase = async () =>
      (
        await stack.db.query(
          `SELECT c.id, count(t.id)::int AS tasks FROM unnest($1::uuid[]) AS c(id) LEFT JOIN tasks t ON t.case_id = c.id GROUP BY c.id`,
          [caseIds],
        )
      ).rows as { id: string; tasks: number }[];
    await waitFor('a tracing task for every F0', async () => (await tasksPerCase()).every((r) => r.tasks >= 1), 60_000, 250);

    const escalatedTasks = () =>
      stack.count(
        `SELECT count(DISTINCT e.payload->>'taskId') FROM event_log e JOIN tasks t ON t.id::text = e.payload->>'taskId'
         WHERE e.type = 'task.escalated' AND e.payload->>'deadline' = 'acknowledge' AND (e.payload->>'level')::int = 1
           AND t.case_id = ANY($1::uuid[])`,
        [caseIds],
      );
    await waitFor('the acknowledge deadline of every tracing task escalated', async () => (await escalatedTasks()) === CASES, 60_000, 250);
    await flusher.flushall(); // once more while levels 2 and 3 are pending: the sweep brings them back

    await waitFor(
      'every tracing task escalated to level 3',
      async () =>
        (await stack.count(
          `SELECT count(*) FROM task_escalations s JOIN tasks t ON t.id = s.task_id
           WHERE s.deadline = 'acknowledge' AND s.level = 3 AND t.case_id = ANY($1::uuid[])`,
          [caseIds],
        )) === CASES,
      60_000,
      250,
    );

    expect((await tasksPerCase()).map((r) => r.tasks)).toEqual(Array(CASES).fill(1));
    expect(
      await stack.count(`SELECT count(*) FROM event_log WHERE type = 'task.created' AND payload->>'caseId' = ANY($1::text[])`, [caseIds]),
    ).toBe(CASES);
    // Exactly one task.escalated per task, deadline and level: 3 levels of the acknowledge deadline each.
    const duplicates = await stack.db.query(
      `SELECT payload->>'taskId' AS task, payload->>'deadline' AS deadline, payload->>'level' AS level, count(*)::int AS n
       FROM event_log WHERE type = 'task.escalated' GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    expect(duplicates.rows).toEqual([]);
    expect(
      await stack.count(
        `SELECT count(*) FROM event_log e JOIN tasks t ON t.id::text = e.payload->>'taskId'
         WHERE e.type = 'task.escalated' AND e.payload->>'deadline' = 'acknowledge' AND t.case_id = ANY($1::uuid[])`,
        [caseIds],
      ),
    ).toBe(CASES * 3);
  });
});
