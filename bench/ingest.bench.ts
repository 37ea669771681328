/**
 * ingest: sustained end-to-end events/s (HTTP batches -> commit -> stream -> projection
 * committed and acked) beside two ceilings measured in the same run on the same data:
 *   - pipelined XADD of the same stream entries into a scratch stream key,
 *   - a raw multi-row INSERT (the product's unnest statement) of the same rows into a scratch
 *     copy of event_log (same columns, defaults, indexes and foreign key).
 *
 *   npm run bench:ingest -- [--duration 60] [--concurrency 4] [--batch 500] [--warmup 5] [--mix registry|plain]
 *                           [--ceiling-events 200000] [--quiet-pct 25] [--quiet-wait 300]
 *                           [--profile] [--node-options=<NODE_OPTIONS for api and worker>]
 *
 * --mix: `registry` (default) is EventFactory.mixed, a tenth of it F0 and F1 that the case registry
 * records (several statements each); `plain` is only test results and reports, the spine's own
 * path (one statement per request), to tell the spine's cost from the registry's.
 * --profile attaches an inspector to the api and worker and prints where their CPU went (a
 * diagnostic: it costs a few percent). --node-options runs what-if experiments without touching
 * the product (e.g. "--node-options=--max-semi-space-size=64"; note the `=` form, because the
 * value itself starts with `--`). Before starting, the bench waits (up to --quiet-wait s) for
 * the shared machine to be quiet, and it reports the CPU other processes used during the window.
 *
 * Throughput "end to end" counts only events whose projection is committed: the province
 * row of unit_daily_counters (every event of the mix adds exactly 1 to f0 + f1 + tests +
 * reports there, once, thanks to the projector's receipts). The load is closed-loop:
 * `concurrency` clients each POST a batch and send the next one when the answer arrives.
 */
import { Client } from 'pg';
import Redis from 'ioredis';
import { EventFactory } from '../test/support/factories';
import { TestStack } from '../test/support/stack';
import { sleep } from '../test/support/wait';
import { assertKnown, numberArg, parseArgs } from './support/args';
import { InspectorProfiler, ProfileSummary } from './support/inspector-profile';
import { BuildInfo, buildInfo, buildLine, DISTRICT_CODES, machineInfo, machineLine, resultsDir, saveResult } from './support/machine';
import { CpuSampler, foldOthers, PgAttribution, processMemory, stackLabeler, waitForQuiet } from './support/proc';
import { cpuLine, disturbedNote, fmtInt, round, summarize } from './support/stats';

const args = parseArgs();
assertKnown(args, ['mix', 'duration', 'concurrency', 'batch', 'warmup', 'ceiling-events', 'profile', 'poll-ms', 'quiet-pct', 'quiet-wait', 'node-options']);
const DURATION_S = numberArg(args, 'duration', 60, 1);
const CONCURRENCY = numberArg(args, 'concurrency', 4, 1);
const BATCH = numberArg(args, 'batch', 500, 1);
const WARMUP_S = numberArg(args, 'warmup', 5, 0);
const CEILING_EVENTS = numberArg(args, 'ceiling-events', 200_000, 1000);
const POLL_MS = numberArg(args, 'poll-ms', 500, 50);
const MIX = args.get('mix') ?? 'registry';
if (MIX !== 'registry' && MIX !== 'plain') throw new Error('--mix: registry or plain');
/** Diagnostic: sample the api's and the worker's CPU through their inspectors during the window. */
const PROFILE = args.get('profile') === 'true';
/** Passed to the api and worker as NODE_OPTIONS (what-if experiments, e.g. bench/experiments/*). */
const NODE_OPTIONS = [args.get('node-options'), PROFILE ? '--inspect=127.0.0.1:0' : undefined].filter(Boolean).join(' ');
const QUIET_PCT = numberArg(args, 'quiet-pct', 25, 0);
const QUIET_WAIT_S = numberArg(args, 'quiet-wait', 300, 0);
const STREAM_MAXLEN = 1_000_000; // the product's default STREAM_MAXLEN, used for the ceiling too
if (BATCH > 1000) throw new Error('--batch: the API takes at most 1,000 events per request');

const POSTER = 'province.duty';

interface Probe {
  t: number; // ms since the measured window started
  accepted: number; // events answered 202 (this window)
  projected: number; // events whose projection is committed (this window)
  streamLag: number | null; // XINFO GROUPS: entries not yet delivered to the projector
  pending: number | null; // delivered but not acked
  streamAdded: number | null; // entries-added of the stream (all time)
}

let quiet: Awaited<ReturnType<typeof waitForQuiet>> | undefined;

async function main(): Promise<void> {
  const stack = new TestStack({
    processes: true,
    env: {
      // The product's defaults, not the test harness's fast ones: a benchmark measures the product.
      RELAY_GRACE_MS: '2000',
      WORKER_CLAIM_IDLE_MS: '30000',
      ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}),
    },
  });
  quiet = await waitForQuiet(QUIET_PCT, QUIET_WAIT_S);
  console.error(`machine busy ${quiet.busyPct} % of one core before start${quiet.quiet ? '' : ' (NOT quiet: figures are disturbed)'}`);
  console.error(`starting stack (${stack.dbName}, prefix ${stack.prefix}) ...`);
  await stack.start();
  try {
    await run(stack);
  } finally {
    await stack.stop();
  }
}

async function run(stack: TestStack): Promise<void> {
  const machine = await machineInfo(stack.db, stack.redis);
  const build = buildInfo();
  const streamKey = `${stack.prefix}events`;
  const token = await stack.token(POSTER);
  const url = `${stack.apiUrl}/api/v1/events`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const pg = await new PgAttribution(stack.db, stack.dbName, () => [
    ...stack.apis.map((a, i) => ({ label: stack.apis.length > 1 ? `api#${i}` : 'api', pid: a.pid! })),
    { label: 'worker', pid: stack.worker.pid! },
    { label: 'bench', pid: process.pid },
  ]).start();
  const sampler = new CpuSampler(
    stackLabeler({ apiPids: stack.apis.map((a) => a.pid!), workerPid: stack.worker.pid!, dbName: stack.dbName, pg }),
    1000,
  ).start();

  // A separate connection for probes so they never queue behind anything else.
  const probeDb = new Client({ connectionString: stack.databaseUrl });
  await probeDb.connect();
  const probeRedis = new Redis(stack.redisUrl);

  const projectedTotal = async (): Promise<number> => {
    const { rows } = await probeDb.query<{ n: string }>(
      `SELECT coalesce(sum(f0 + f1 + tests + reports), 0) AS n FROM unit_daily_counters WHERE unit_code = '22'`,
    );
    return Number(rows[0].n);
  };
  const groupInfo = async (): Promise<{ lag: number | null; pending: number | null; added: number | null }> => {
    try {
      const groups = (await probeRedis.call('XINFO', 'GROUPS', streamKey)) as unknown[][];
      const stream = (await probeRedis.call('XINFO', 'STREAM', streamKey)) as unknown[];
      const g = groups.map((arr) => fieldMap(arr)).find((m) => m.get('name') === 'projector');
      const s = fieldMap(stream);
      return {
        lag: g && g.get('lag') !== null ? Number(g.get('lag')) : null,
        pending: g ? Number(g.get('pending')) : null,
        added: Number(s.get('entries-added')),
      };
    } catch {
      return { lag: null, pending: null, added: null };
    }
  };

  // ---- load generator --------------------------------------------------------------------------
  let serial = 0;
  const makeBody = (): string => {
    const events = Array.from({ length: BATCH }, () => {
      const i = serial++;
      const unit = DISTRICT_CODES[i % DISTRICT_CODES.length];
      if (MIX === 'plain') return (i % 2 ? EventFactory.testResulted() : EventFactory.reportReceived()).inUnit(unit).build();
      return EventFactory.mixed(i, unit);
    });
    return JSON.stringify({ events });
  };

  interface Phase {
    started: number;
    stopAt: number;
    accepted: number;
    acceptLog: { t: number; n: number }[]; // response time (ms since start), events
    latencies: number[];
    errors: Map<string, number>;
    inflight: number;
  }
  const load = async (seconds: number, onStart?: (p: Phase) => void): Promise<Phase> => {
    const started = performance.now();
    const phase: Phase = { started, stopAt: started + seconds * 1000, accepted: 0, acceptLog: [], latencies: [], errors: new Map(), inflight: 0 };
    onStart?.(phase);
    const client = async () => {
      while (performance.now() < phase.stopAt) {
        const body = makeBody();
        const t0 = performance.now();
        phase.inflight++;
        try {
          const res = await fetch(url, { method: 'POST', headers, body });
          await res.arrayBuffer();
          const t1 = performance.now();
          if (res.status === 202) {
            phase.accepted += BATCH;
            phase.acceptLog.push({ t: t1 - started, n: BATCH });
            phase.latencies.push(t1 - t0);
          } else {
            phase.errors.set(`HTTP ${res.status}`, (phase.errors.get(`HTTP ${res.status}`) ?? 0) + 1);
          }
        } catch (err) {
          const key = (err as Error).message;
          phase.errors.set(key, (phase.errors.get(key) ?? 0) + 1);
        } finally {
          phase.inflight--;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    return phase;
  };

  const waitProjected = async (target: number, timeoutMs: number): Promise<number | null> => {
    const t0 = performance.now();
    while (performance.now() - t0 < timeoutMs) {
      if ((await projectedTotal()) >= target) return performance.now();
      await sleep(50);
    }
    return null;
  };

  // ---- warm-up (JIT, pools, caches), drained before the measured window ------------------------
  if (WARMUP_S > 0) {
    console.error(`warm-up ${WARMUP_S}s ...`);
    const warm = await load(WARMUP_S);
    if (!(await waitProjected(warm.accepted, 120_000))) throw new Error('warm-up never finished projecting');
    await sleep(1000);
  }
  const base = await projectedTotal();
  const baseInfo = await groupInfo();
  const baseSeq = Number((await probeDb.query<{ s: string | null }>('SELECT max(seq) AS s FROM event_log')).rows[0].s ?? 0);
  const baseStreamId = ((await probeRedis.xrevrange(streamKey, '+', '-', 'COUNT', 1)) as [string, string[]][])[0]?.[0] ?? '0-0';
  const apiMemBefore = processMemory(stack.apis[0].pid!);
  const workerMemBefore = processMemory(stack.worker.pid!);

  // ---- measured window ---------------------------------------------------------------------------
  console.error(`measured load: ${DURATION_S}s, ${CONCURRENCY} concurrent requests of ${BATCH} events ...`);
  const probes: Probe[] = [];
  let phaseRef: Phase | undefined;
  let probing = true;
  const probeLoop = (async () => {
    while (probing) {
      const p = phaseRef;
      if (p) {
        const t = performance.now() - p.started;
        const [projected, info] = await Promise.all([projectedTotal(), groupInfo()]);
        probes.push({ t: Math.round(t), accepted: p.accepted, projected: projected - base, streamLag: info.lag, pending: info.pending, streamAdded: info.added });
      }
      await sleep(POLL_MS);
    }
  })();
  const profilers: InspectorProfiler[] = [];
  if (PROFILE) {
    for (const [name, proc] of [['api', stack.apis[0]], ['worker', stack.worker]] as const) {
      const wsUrl = InspectorProfiler.urlFromOutput(proc.output);
      if (!wsUrl) throw new Error(`--profile: no inspector URL in the ${name}'s output`);
      profilers.push(await new InspectorProfiler(name).connect(wsUrl));
    }
    await Promise.all(profilers.map((p) => p.start()));
  }
  const cpuStart = sampler.mark();
  const benchCpuStart = process.cpuUsage();
  // At the end of the window: committed and projected counts from ONE snapshot of PostgreSQL, so
  // their difference is exactly the projection lag (requests still in flight are in neither or both).
  const snapshotCounts = async () => {
    const { rows } = await probeDb.query<{ committed: string; projected: string }>(
      `SELECT (SELECT count(*) FROM event_log WHERE seq > $1) AS committed,
              (SELECT coalesce(sum(f0 + f1 + tests + reports), 0) FROM unit_daily_counters WHERE unit_code = '22') AS projected`,
      [baseSeq],
    );
    return { committed: Number(rows[0].committed), projected: Number(rows[0].projected) - base };
  };
  type AtEnd = { projected: number; committed: number; info: Awaited<ReturnType<typeof groupInfo>>; cpu: ReturnType<typeof sampler.mark>; accepted: number; inflight: number };
  const endTimer = new Promise<AtEnd>((resolve) => {
    setTimeout(() => {
      const cpu = sampler.mark();
      const accepted = phaseRef!.accepted;
      const inflight = phaseRef!.inflight;
      void Promise.all([snapshotCounts(), groupInfo()]).then(([counts, info]) => resolve({ ...counts, info, cpu, accepted, inflight }));
    }, DURATION_S * 1000);
  });
  const phase = await load(DURATION_S, (p) => (phaseRef = p));
  const atEnd = await endTimer;
  const lastResponse = performance.now();
  const profiles: Record<string, ProfileSummary & { file: string }> = {};
  for (const p of profilers) {
    const file = `${resultsDir()}/ingest-${p.name}-${Date.now()}.cpuprofile`;
    profiles[p.name] = { ...(await p.stop(file)), file };
  }
  const benchCpu = process.cpuUsage(benchCpuStart);
  const apiMemEnd = processMemory(stack.apis[0].pid!);
  const workerMemEnd = processMemory(stack.worker.pid!);

  // ---- drain ---------------------------------------------------------------------------------------
  console.error('draining (waiting for every accepted event to be projected) ...');
  const drainedAt = await waitProjected(base + phase.accepted, 300_000);
  const cpuDrained = sampler.mark();
  probing = false;
  await probeLoop;
  sampler.stop();
  pg.stop();
  const finalInfo = await groupInfo();
  const inWindow = Number((await probeDb.query<{ n: string }>('SELECT count(*) AS n FROM event_log WHERE seq > $1', [baseSeq])).rows[0].n);
  const receipts = Number(
    (
      await probeDb.query<{ n: string }>(
        `SELECT count(*) AS n FROM consumer_receipts r JOIN event_log e ON e.id = r.event_id WHERE e.seq > $1 AND r.consumer = 'projector'`,
        [baseSeq],
      )
    ).rows[0].n,
  );
  const unpublished = Number((await probeDb.query<{ n: string }>('SELECT count(*) AS n FROM event_outbox')).rows[0].n);

  // ---- ceilings on the same data ------------------------------------------------------------------
  console.error('ceilings: pipelined XADD of the same entries ...');
  const xaddCeiling = await measureXaddCeiling(probeRedis, streamKey, baseStreamId, `${stack.prefix}bench:xadd-ceiling`);
  console.error('ceilings: raw multi-row INSERT of the same rows ...');
  const insertCeiling = await measureInsertCeiling(stack.databaseUrl, probeDb, baseSeq);

  await probeDb.end();
  probeRedis.disconnect();

  // ---- figures -------------------------------------------------------------------------------------
  const windowS = DURATION_S;
  const acceptedByEnd = phase.acceptLog.filter((a) => a.t <= windowS * 1000).reduce((s, a) => s + a.n, 0);
  const steadyFrom = Math.min(10, windowS / 4) * 1000;
  const p0 = nearest(probes, steadyFrom);
  const steadyE2e = p0 ? (atEnd.projected - p0.projected) / ((windowS * 1000 - p0.t) / 1000) : NaN;
  const lat = summarize(phase.latencies);
  const cpuWindow = foldOthers(sampler.window(cpuStart, atEnd.cpu));
  const cpuDrain = foldOthers(sampler.window(atEnd.cpu, cpuDrained));
  const e2e = atEnd.projected / windowS;
  const result = {
    bench: 'ingest',
    machine,
    build,
    machineBusyBeforeStart: quiet,
    /** Confirms a --node-options experiment was loaded (bench/experiments/* print a warning). */
    experimentsLoaded: [...new Set(stack.apis[0].output.match(/bench experiment:[^\n]*/g) ?? [])],
    command: `npm run bench:ingest -- ${process.argv.slice(2).join(' ')}`.trim(),
    params: { nodeOptions: NODE_OPTIONS || null, durationS: DURATION_S, concurrency: CONCURRENCY, batch: BATCH, warmupS: WARMUP_S, ceilingEvents: CEILING_EVENTS, relayGraceMs: 2000, streamMaxLen: STREAM_MAXLEN, poster: POSTER },
    endToEnd: {
      eventsPerSecond: round(e2e),
      steadyEventsPerSecond: round(steadyE2e),
      steadyFromSeconds: round(steadyFrom / 1000, 1),
      projectedInWindow: atEnd.projected,
      eventsPerSecondIncludingDrain: drainedAt ? round(phase.accepted / ((drainedAt - phase.started) / 1000)) : null,
    },
    http: {
      acceptedEventsPerSecond: round(acceptedByEnd / windowS),
      acceptedInWindow: acceptedByEnd,
      acceptedTotal: phase.accepted,
      requests: phase.latencies.length,
      errors: Object.fromEntries(phase.errors),
      latencyMs: { p50: round(lat.p50), p90: round(lat.p90), p99: round(lat.p99), max: round(lat.max), mean: round(lat.mean) },
      inflightAtEnd: atEnd.inflight,
    },
    lagAtEnd: {
      committedNotProjected: atEnd.committed - atEnd.projected,
      answeredNotProjected: atEnd.accepted - atEnd.projected,
      streamLag: atEnd.info.lag,
      pending: atEnd.info.pending,
      drainSeconds: drainedAt ? round((drainedAt - lastResponse) / 1000, 2) : null,
    },
    consistency: {
      eventLogRows: inWindow,
      projectorReceipts: receipts,
      streamEntriesAdded: baseInfo.added !== null && finalInfo.added !== null ? finalInfo.added - baseInfo.added : null,
      unpublishedRowsAfterDrain: unpublished,
    },
    ceilings: {
      xadd: xaddCeiling,
      insert: insertCeiling,
      ratios: {
        endToEndOverXadd: round(e2e / xaddCeiling.eventsPerSecond, 3),
        endToEndOverInsert: round(e2e / insertCeiling.eventsPerSecond, 3),
        httpAcceptOverInsert: round(acceptedByEnd / windowS / insertCeiling.eventsPerSecond, 3),
      },
    },
    cpuPctOfOneCore: { window: cpuWindow, drain: cpuDrain },
    benchProcessCpuPct: round(((benchCpu.user + benchCpu.system) / 1000 / (lastResponse - phase.started)) * 100),
    memoryMiB: {
      apiRssBefore: mib(apiMemBefore?.rss),
      apiRssEnd: mib(apiMemEnd?.rss),
      apiRssPeak: mib(apiMemEnd?.hwm),
      workerRssBefore: mib(workerMemBefore?.rss),
      workerRssEnd: mib(workerMemEnd?.rss),
    },
    target: { endToEndEventsPerSecond: 5000, met: e2e >= 5000 },
    probes,
    cpuSeries: sampler.series(),
    ...(PROFILE ? { profiles } : {}),
  };
  const file = saveResult('ingest', result);
  console.log(markdown(result));
  for (const [name, p] of Object.entries(profiles)) {
    console.log(`\n${name} CPU profile (${p.seconds} s, thread busy ${p.busyPct} %; ${p.file}):`);
    console.log(`  by area: ${p.byArea.slice(0, 12).map((a) => `${a.area} ${a.pct} %`).join(', ')}`);
    for (const f of p.topFunctions.slice(0, 15)) console.log(`  ${String(f.pct).padStart(5)} %  ${f.fn}`);
  }
  console.log(`\nraw JSON: ${file}`);
}

// ---- ceilings ---------------------------------------------------------------------------------------

/** The same stream entries (read back from the run's stream), XADDed pipelined into a scratch key. */
async function measureXaddCeiling(redis: Redis, streamKey: string, afterId: string, scratchKey: string) {
  const entries: string[][] = [];
  let from = `(${afterId}`;
  while (entries.length < CEILING_EVENTS) {
    const page = (await redis.xrange(streamKey, from, '+', 'COUNT', Math.min(10_000, CEILING_EVENTS - entries.length))) as [string, string[]][];
    if (!page.length) break;
    for (const [, fields] of page) entries.push(fields);
    from = `(${page[page.length - 1][0]}`;
  }
  await redis.del(scratchKey);
  const conn = new Redis(redis.options);
  await conn.ping();
  const t0 = performance.now();
  let next = 0;
  const pipelineLoop = async () => {
    while (next < entries.length) {
      const slice = entries.slice(next, next + BATCH);
      next += BATCH;
      const p = conn.pipeline();
      p.set(`${scratchKey}:epoch`, 'x', 'NX');
      for (const fields of slice) p.xadd(scratchKey, 'MAXLEN', '~', STREAM_MAXLEN, '*', ...fields);
      const res = (await p.exec()) ?? [];
      const failed = res.find(([e]) => e);
      if (failed) throw failed[0];
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, pipelineLoop));
  const seconds = (performance.now() - t0) / 1000;
  const bytes = entries.reduce((s, f) => s + f.reduce((a, v) => a + Buffer.byteLength(v), 0), 0);
  await conn.del(scratchKey, `${scratchKey}:epoch`);
  conn.disconnect();
  return {
    method: `pipelined XADD MAXLEN ~ ${STREAM_MAXLEN}, ${BATCH} entries per pipeline, ${CONCURRENCY} pipelines in flight on one connection`,
    entries: entries.length,
    meanEntryBytes: Math.round(bytes / (entries.length || 1)),
    seconds: round(seconds, 3),
    eventsPerSecond: round(entries.length / seconds),
  };
}

/**
 * The same rows (read back from event_log), inserted with the product's multi-row unnest INSERT
 * into a scratch copy of event_log (columns, defaults, indexes and the unit foreign key), one
 * statement (= one transaction) per batch, `concurrency` connections in parallel.
 */
async function measureInsertCeiling(databaseUrl: string, db: Client, afterSeq: number) {
  const { rows } = await db.query<{
    id: string; type: string; unit_code: string; path: string; occurred_at: string; actor: string;
    lon: number | null; lat: number | null; drill: boolean; exercise_id: string | null; payload: string;
  }>(
    `SELECT id, type, unit_code, array_to_string(unit_path, '/') AS path, occurred_at::text, actor,
            ST_X(location) AS lon, ST_Y(location) AS lat, drill, exercise_id, payload::text AS payload
     FROM event_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [afterSeq, CEILING_EVENTS],
  );
  const table = `bench_ceiling_event_log`;
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query(`DROP SEQUENCE IF EXISTS ${table}_seq`);
  await db.query(`DROP TABLE IF EXISTS ${table}_outbox`);
  await db.query(`CREATE TABLE ${table} (LIKE event_log INCLUDING ALL)`);
  await db.query(`CREATE TABLE ${table}_outbox (LIKE event_outbox INCLUDING ALL)`);
  await db.query(`CREATE SEQUENCE ${table}_seq`);
  await db.query(`ALTER TABLE ${table} ALTER COLUMN seq SET DEFAULT nextval('${table}_seq')`);
  await db.query(`ALTER TABLE ${table} ADD FOREIGN KEY (unit_code) REFERENCES admin_units(code) ON UPDATE CASCADE`);

  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const c = new Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }),
  );
  const insertSql = `INSERT INTO ${table} (id, type, unit_code, unit_path, occurred_at, actor, location, drill, exercise_id, payload)
     SELECT t.id, t.type, t.unit, string_to_array(t.path, '/'), t.occurred_at, t.actor,
            CASE WHEN t.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) END,
            t.drill, t.exercise_id, t.payload
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                 $6::float8[], $7::float8[], $8::bool[], $9::text[], $10::jsonb[], $11::text[])
          WITH ORDINALITY AS t(id, type, unit, path, occurred_at, lon, lat, drill, exercise_id, payload, actor, ord)
     ORDER BY t.ord
     ON CONFLICT (id) DO NOTHING
     RETURNING id, seq, recorded_at`;
  // The api's statement: the same INSERT writing each row's outbox entry too.
  const withOutboxSql = `WITH inserted AS (${insertSql}), outbox AS (INSERT INTO ${table}_outbox (seq) SELECT seq FROM inserted)
     SELECT id, seq, recorded_at FROM inserted`;
  /** One pass over all rows; with `outbox`, as the api does: outbox entries, and their DELETE once published. */
  const pass = async (outbox: boolean): Promise<number> => {
    await db.query(`TRUNCATE ${table}, ${table}_outbox`);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (next < rows.length) {
          const slice = rows.slice(next, next + BATCH);
          next += BATCH;
          const res = await c.query<{ seq: string }>(outbox ? withOutboxSql : insertSql, [
            slice.map((r) => r.id),
            slice.map((r) => r.type),
            slice.map((r) => r.unit_code),
            slice.map((r) => r.path),
            slice.map((r) => r.occurred_at),
            slice.map((r) => r.lon),
            slice.map((r) => r.lat),
            slice.map((r) => r.drill),
            slice.map((r) => r.exercise_id),
            slice.map((r) => r.payload),
            slice.map((r) => r.actor),
          ]);
          if (outbox) {
            await c.query(`DELETE FROM ${table}_outbox WHERE seq = ANY($1::bigint[])`, [res.rows.map((r) => r.seq)]);
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const inserted = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    if (inserted !== rows.length) throw new Error(`insert ceiling: ${inserted} of ${rows.length} rows inserted`);
    return seconds;
  };
  const seconds = await pass(false);
  const withOutboxSeconds = await pass(true);
  await Promise.all(clients.map((c) => c.end()));
  await db.query(`DROP TABLE ${table}, ${table}_outbox`);
  await db.query(`DROP SEQUENCE ${table}_seq`);
  return {
    method: `the product's multi-row unnest INSERT into a scratch copy of event_log (LIKE ... INCLUDING ALL + FK), ${BATCH} rows per statement, ${CONCURRENCY} connections`,
    rows: rows.length,
    seconds: round(seconds, 3),
    eventsPerSecond: round(rows.length / seconds),
    /** The same INSERTs writing outbox entries, each followed by the api's DELETE of them (after its XADD). */
    withOutboxEventsPerSecond: round(rows.length / withOutboxSeconds),
  };
}

// ---- helpers ----------------------------------------------------------------------------------------

function fieldMap(arr: unknown[]): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (let i = 0; i + 1 < arr.length; i += 2) m.set(String(arr[i]), arr[i + 1]);
  return m;
}

function nearest(probes: Probe[], t: number): Probe | undefined {
  let best: Probe | undefined;
  for (const p of probes) if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
  return best;
}

function mib(bytes: number | undefined): number | null {
  return bytes === undefined || Number.isNaN(bytes) ? null : round(bytes / 2 ** 20);
}

type Result = {
  machine: Awaited<ReturnType<typeof machineInfo>>;
  build: BuildInfo;
  machineBusyBeforeStart: { busyPct: number; quiet: boolean } | undefined;
  command: string;
  params: { durationS: number; concurrency: number; batch: number; warmupS: number };
  endToEnd: { eventsPerSecond: number; steadyEventsPerSecond: number; steadyFromSeconds: number; projectedInWindow: number; eventsPerSecondIncludingDrain: number | null };
  http: { acceptedEventsPerSecond: number; acceptedInWindow: number; requests: number; errors: Record<string, number>; latencyMs: Record<string, number> };
  lagAtEnd: { committedNotProjected: number; answeredNotProjected: number; streamLag: number | null; pending: number | null; drainSeconds: number | null };
  consistency: { eventLogRows: number; projectorReceipts: number; streamEntriesAdded: number | null; unpublishedRowsAfterDrain: number };
  ceilings: {
    xadd: { eventsPerSecond: number; entries: number; meanEntryBytes: number; method: string };
    insert: { eventsPerSecond: number; rows: number; method: string; withOutboxEventsPerSecond: number };
    ratios: { endToEndOverXadd: number; endToEndOverInsert: number; httpAcceptOverInsert: number };
  };
  cpuPctOfOneCore: { window: Record<string, number | string>; drain: Record<string, number | string> };
  benchProcessCpuPct: number;
  memoryMiB: Record<string, number | null>;
  target: { met: boolean };
};

function markdown(r: Result): string {
  const cpu = (c: Record<string, number | string>) => cpuLine(c);
  const errors = Object.entries(r.http.errors).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  return [
    `#### ingest — ${r.machine.date.slice(0, 10)}`,
    '',
    `- machine: ${machineLine(r.machine)}; load avg at start ${r.machine.loadAvgAtStart.join(' ')}; machine busy before start ${r.machineBusyBeforeStart?.busyPct ?? '?'} % of one core${r.machineBusyBeforeStart?.quiet === false ? ' (NOT quiet)' : ''}`,
    `- product: ${buildLine(r.build)}`,
    `- command: \`${r.command}\` (duration ${r.params.durationS} s after a ${r.params.warmupS} s warm-up, ${r.params.concurrency} concurrent requests × ${r.params.batch} events, closed loop; load generator on the same machine)`,
    '',
    ...(disturbedNote(r.cpuPctOfOneCore.window) ? [disturbedNote(r.cpuPctOfOneCore.window)!, ''] : []),
    '| figure | value |',
    '|---|---|',
    `| **end to end** (projection committed) | **${fmtInt(r.endToEnd.eventsPerSecond)} events/s** (from ${r.endToEnd.steadyFromSeconds} s to the end: ${fmtInt(r.endToEnd.steadyEventsPerSecond)}/s; ${fmtInt(r.endToEnd.projectedInWindow)} events) |`,
    `| HTTP accepted (202) | ${fmtInt(r.http.acceptedEventsPerSecond)} events/s (${fmtInt(r.http.requests)} requests, errors: ${errors}) |`,
    `| request latency | p50 ${r.http.latencyMs.p50} ms, p90 ${r.http.latencyMs.p90} ms, p99 ${r.http.latencyMs.p99} ms, max ${r.http.latencyMs.max} ms |`,
    `| projection lag at end of window | ${fmtInt(r.lagAtEnd.committedNotProjected)} events committed but not yet projected (one PostgreSQL snapshot; stream lag ${r.lagAtEnd.streamLag}, pending ${r.lagAtEnd.pending}); drained ${r.lagAtEnd.drainSeconds} s after the last response |`,
    `| end to end incl. drain | ${r.endToEnd.eventsPerSecondIncludingDrain === null ? 'did not drain' : `${fmtInt(r.endToEnd.eventsPerSecondIncludingDrain)} events/s`} |`,
    `| ceiling: pipelined XADD, same entries | ${fmtInt(r.ceilings.xadd.eventsPerSecond)} events/s (${fmtInt(r.ceilings.xadd.entries)} entries, ${r.ceilings.xadd.meanEntryBytes} B each) |`,
    `| ceiling: raw multi-row INSERT, same rows | ${fmtInt(r.ceilings.insert.eventsPerSecond)} events/s (${fmtInt(r.ceilings.insert.rows)} rows; with the api's outbox entries and their DELETE: ${fmtInt(r.ceilings.insert.withOutboxEventsPerSecond)} events/s) |`,
    `| ratio end to end / XADD ceiling | ${r.ceilings.ratios.endToEndOverXadd} |`,
    `| ratio end to end / INSERT ceiling | ${r.ceilings.ratios.endToEndOverInsert} (HTTP accept / INSERT: ${r.ceilings.ratios.httpAcceptOverInsert}) |`,
    `| CPU during window (% of one core) | ${cpu(r.cpuPctOfOneCore.window)} |`,
    ...((r.lagAtEnd.drainSeconds ?? Infinity) >= 2 ? [`| CPU during drain | ${cpu(r.cpuPctOfOneCore.drain)} |`] : []),
    `| memory (RSS MiB) | api ${r.memoryMiB.apiRssBefore} → ${r.memoryMiB.apiRssEnd} (peak ${r.memoryMiB.apiRssPeak}), worker ${r.memoryMiB.workerRssBefore} → ${r.memoryMiB.workerRssEnd} |`,
    `| consistency | ${fmtInt(r.consistency.eventLogRows)} rows in event_log, ${fmtInt(r.consistency.projectorReceipts)} projector receipts, ${r.consistency.streamEntriesAdded === null ? '?' : fmtInt(r.consistency.streamEntriesAdded)} stream entries added, ${r.consistency.unpublishedRowsAfterDrain} left in the outbox |`,
    `| target ≥ 5,000 events/s end to end | ${r.target.met ? '**met**' : '**missed**'} |`,
  ].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
