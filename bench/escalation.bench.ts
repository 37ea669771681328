/**
 * escalation: 10,000 open tasks whose acknowledge deadlines fall due over one minute; how late
 * each `task.escalated` starts after its deadline (p50 / p95 / p99 / max), with the real worker
 * (BullMQ delayed jobs, the check-and-record transaction, the on-duty roster lookup, the event
 * append and publish). Then the dispatch board's reads with those 10,000 open tasks.
 *
 *   npm run bench:escalation -- [--tasks 10000] [--window 60] [--lead 15] [--workers 1]
 *
 * The tasks are inserted with SQL and their first-level jobs added with BullMQ's addBulk, exactly
 * as the api's EscalationScheduler adds them (same job name, id and options): creating 10,000
 * tasks through HTTP would measure the api, not the escalation. Lateness = the escalation event's
 * occurredAt (the instant the worker started the job's transaction) minus the deadline.
 */
import { Queue } from 'bullmq';
import { ESCALATION_JOB_NAME, EscalationJob, escalationJobOptions } from '@frontline/queue';
import { TestStack } from '../test/support/stack';
import { sleep } from '../test/support/wait';
import { numberArg, parseArgs, assertKnown } from './support/args';

const args = parseArgs();
assertKnown(args, ['tasks', 'window', 'lead', 'workers']);
const TASKS = numberArg(args, 'tasks', 10_000, 1);
const WINDOW_S = numberArg(args, 'window', 60, 1);
const LEAD_S = numberArg(args, 'lead', 15, 1);
const WORKERS = numberArg(args, 'workers', 1, 1);
const DISTRICTS = ['193', '194', '195', '196', '197', '198', '199', '200', '201', '202', '203', '205', '206'];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const stack = new TestStack({ processes: true, env: { LOG_LEVEL: 'error' } });
  await stack.start();
  try {
    for (let i = 1; i < WORKERS; i++) await stack.addWorker();
    const known = (await stack.db.query(`SELECT code FROM admin_units WHERE code = ANY($1)`, [DISTRICTS])).rows.map((r) => r.code as string);
    const t0 = Date.now() + LEAD_S * 1000;
    const step = (WINDOW_S * 1000) / TASKS;
    console.log(`inserting ${TASKS} open tasks over ${known.length} districts, deadlines spread over ${WINDOW_S} s from ${new Date(t0).toISOString()}`);
    const { rows } = await stack.db.query(
      `INSERT INTO tasks (unit_code, unit_path, type, priority, place, state, acknowledge_by, finish_by, created_by)
       SELECT u.code, u.path, 'tracing', 'critical', COALESCE(u.label_point, ST_PointOnSurface(u.geom))::geography, 'created',
              to_timestamp(($1::float8 + g * $2::float8) / 1000), to_timestamp(($1::float8 + g * $2::float8) / 1000) + interval '1 day', 'bench'
       FROM generate_series(0, $3 - 1) g JOIN admin_units u ON u.code = ($4::text[])[1 + g % array_length($4::text[], 1)]
       RETURNING id, acknowledge_by`,
      [t0, step, TASKS, known],
    );
    const queue = new Queue('escalations', { connection: { url: stack.redisUrl }, prefix: `${stack.prefix}bull` });
    for (let i = 0; i < rows.length; i += 1000) {
      await queue.addBulk(
        rows.slice(i, i + 1000).map((r) => {
          const job: EscalationJob = { taskId: r.id, deadline: 'acknowledge', level: 1, due: (r.acknowledge_by as Date).toISOString() };
          return { name: ESCALATION_JOB_NAME, data: job, opts: escalationJobOptions(job) };
        }),
      );
    }
    console.log(`jobs scheduled ${((t0 - Date.now()) / 1000).toFixed(1)} s before the first deadline; waiting`);
    const deadline = t0 + WINDOW_S * 1000 + 120_000;
    let done = 0;
    while (Date.now() < deadline) {
      done = await stack.count(`SELECT count(*) FROM task_escalations`);
      if (done >= TASKS) break;
      await sleep(1000);
    }
    const lateness = (
      await stack.db.query(
        `SELECT extract(epoch FROM e.occurred_at - x.due_at) * 1000 AS late FROM task_escalations x JOIN event_log e ON e.id = x.event_id`,
      )
    ).rows
      .map((r) => Number(r.late))
      .sort((a, b) => a - b);
    const published = await stack.count(`SELECT count(*) FROM event_log WHERE type = 'task.escalated' AND seq NOT IN (SELECT seq FROM event_outbox)`);
    console.log(`escalated ${done}/${TASKS} (published ${published})`);
    console.log(
      `lateness ms: min ${lateness[0]?.toFixed(0)} p50 ${pct(lateness, 50).toFixed(0)} p95 ${pct(lateness, 95).toFixed(0)} p99 ${pct(lateness, 99).toFixed(0)} max ${lateness[lateness.length - 1].toFixed(0)}`,
    );
    await queue.close();

    // The dispatch board's reads with the 10,000 tasks open (escalated, not acknowledged).
    const token = await stack.token('province.duty');
    for (const [label, path] of [
      ['open tasks of the province (first 1,000)', '/api/v1/dispatch/tasks?unit=22&open=true'],
      ['open tasks of one district', '/api/v1/dispatch/tasks?unit=194&open=true'],
      ['teams of the province', '/api/v1/dispatch/teams?unit=22'],
      ['open reports of the province', '/api/v1/dispatch/reports?unit=22'],
    ]) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 11; i++) {
        const start = performance.now();
        const res = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
        bytes = (await res.arrayBuffer()).byteLength;
        if (i > 0) times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      console.log(`${label}: median ${pct(times, 50).toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
