/**
 * fan-out: N Socket.IO clients (spread over the province and its 13 districts, one account per
 * jurisdiction) while events are ingested at a fixed rate: latency to each socket, events lost,
 * duplicates, and memory per connected socket.
 *
 *   npm run bench:fanout -- [--clients 500] [--rate 1000] [--duration 60] [--batch 50]
 *                           [--client-procs 2] [--warmup 5] [--quiet-pct 25] [--quiet-wait 300]
 *                           [--raw-batch-ms 0] [--heap] [--profile] [--node-options=<NODE_OPTIONS for api and worker>]
 *
 * Load is open-loop: a POST of `batch` events every batch/rate seconds, whatever the answers
 * (so a slow server cannot slow the offered load down). Latency is measured per (socket, event):
 *   fromAccepted   receipt - arrival of the 202 (the commit happened before it: a lower bound)
 *   fromRecordedAt receipt - event_log.recorded_at (transaction start on PostgreSQL's clock, the
 *                  same host clock; the commit happened after it: an upper bound)
 *   fromSent       receipt - the POST was sent (what a submitting client could observe)
 * Socket clients live in child processes (--client-procs) so the load generator and the
 * receivers are separate event loops; their clock offset to this process is measured with
 * ping/pong and subtracted. Memory per socket = api RSS after connecting the idle clients minus
 * before, divided by the number of clients. Diagnostics (they attach an inspector to the api,
 * so they are not used for the headline run): --heap adds the api's heap after a forced GC
 * before/after connecting; --profile samples the api's CPU during the window.
 *
 * Ceiling, in the same run: after the api's window, the same client processes connect the same
 * number of plain WebSockets (same jurisdictions) to a bare `ws` server (support/raw-broadcast.ts),
 * and the same open-loop load (same events, rate and POST size) is posted to it. It answers 202 at
 * once and broadcasts each POST's events to the rooms on their path (--raw-batch-ms N collects them
 * on an N ms timer first, like the api's conflation window). Its latencies are measured the same
 * way; the result gives both p99s, their ratio and both lost counts.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { EventFactory } from '../test/support/factories';
import { TestStack } from '../test/support/stack';
import { sleep } from '../test/support/wait';
import { assertKnown, numberArg, parseArgs } from './support/args';
import { ChildResult, ClientSpec, FanoutTarget, LATENCY_KINDS, LatencyKind, ToChild, ToParent, wallNow } from './support/fanout-protocol';
import { InspectorProfiler } from './support/inspector-profile';
import type { RawBroadcastMessage } from './support/raw-broadcast';
import { BuildInfo, buildInfo, buildLine, DISTRICT_CODES, machineInfo, machineLine, PROVINCE_CODE, resultsDir, saveResult } from './support/machine';
import { CpuSampler, foldOthers, PgAttribution, processMemory, stackLabeler, waitForQuiet } from './support/proc';
import { cpuLine, disturbedNote, fmtInt, LatencyHistogram, round, summarize } from './support/stats';

const args = parseArgs();
assertKnown(args, ['clients', 'rate', 'duration', 'batch', 'client-procs', 'warmup', 'connect-parallel', 'quiet-pct', 'quiet-wait', 'node-options', 'heap', 'profile', 'raw-batch-ms']);
const CLIENTS = numberArg(args, 'clients', 500, 1);
const RATE = numberArg(args, 'rate', 1000, 1);
const DURATION_S = numberArg(args, 'duration', 60, 1);
const BATCH = numberArg(args, 'batch', 50, 1);
const CLIENT_PROCS = numberArg(args, 'client-procs', 2, 1);
const WARMUP_S = numberArg(args, 'warmup', 5, 0);
const CONNECT_PARALLEL = numberArg(args, 'connect-parallel', 20, 1);
const TARGET_P99_MS = 250;
/** Target: the api's p99 at most this share of the raw `ws` broadcast's p99 in the same run. */
const TARGET_RATIO_TO_RAW = 0.7;
const RAW_BATCH_MS = numberArg(args, 'raw-batch-ms', 0, 0);
/** Passed to the api and worker as NODE_OPTIONS (what-if experiments, e.g. bench/experiments/*). */
const HEAP = args.get('heap') === 'true';
const PROFILE = args.get('profile') === 'true';
const NODE_OPTIONS = [args.get('node-options'), HEAP || PROFILE ? '--inspect=127.0.0.1:0' : undefined].filter(Boolean).join(' ');
const QUIET_PCT = numberArg(args, 'quiet-pct', 25, 0);
const QUIET_WAIT_S = numberArg(args, 'quiet-wait', 300, 0);
if (BATCH > 1000) throw new Error('--batch: the API takes at most 1,000 events per request');

/** A forked TypeScript child (it inherits tsx's loader through execArgv) spoken to over IPC. */
class ChildProc<In, Out extends { type: string }> {
  readonly child: ChildProcess;
  private waiters: { type: Out['type']; resolve: (m: Out) => void }[] = [];

  constructor(script: string, argv: string[] = []) {
    this.child = fork(join(__dirname, 'support', script), argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (msg: Out) => {
      const i = this.waiters.findIndex((w) => w.type === msg.type);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(msg);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(msg: In): void {
    this.child.send(msg as object);
  }

  next<T extends Out['type']>(type: T, timeoutMs = 120_000): Promise<Extract<Out, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child process ${this.child.pid}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<Out, { type: T }>);
        },
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(2000)]);
  }
}

/** A process holding a share of the socket clients (support/fanout-client.ts). */
class ClientProc extends ChildProc<ToChild, ToParent> {
  constructor() {
    super('fanout-client.ts');
  }

  /** Offset of the child's wall clock to ours (child - parent), from the ping with the shortest round trip. */
  async clockOffset(rounds = 30): Promise<{ offsetMs: number; rttMs: number }> {
    let best = { offsetMs: 0, rttMs: Infinity };
    for (let id = 0; id < rounds; id++) {
      const t0 = wallNow();
      const reply = this.next('pong', 5000);
      this.send({ type: 'ping', id });
      const { t } = await reply;
      const t1 = wallNow();
      if (t1 - t0 < best.rttMs) best = { offsetMs: t - (t0 + t1) / 2, rttMs: t1 - t0 };
      await sleep(5);
    }
    return best;
  }
}

/** The raw `ws` baseline server (support/raw-broadcast.ts). */
class RawBroadcastProc extends ChildProc<{ type: 'stats' }, RawBroadcastMessage> {
  readonly listening = this.next('listening', 60_000);

  constructor(batchMs: number) {
    super('raw-broadcast.ts', [String(batchMs)]);
  }

  async stats(): Promise<Extract<RawBroadcastMessage, { type: 'stats' }>> {
    const reply = this.next('stats', 10_000);
    this.send({ type: 'stats' });
    return reply;
  }
}

let quiet: Awaited<ReturnType<typeof waitForQuiet>> | undefined;

async function main(): Promise<void> {
  const stack = new TestStack({
    processes: true,
    env: { RELAY_GRACE_MS: '2000', WORKER_CLAIM_IDLE_MS: '30000', ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}) },
  });
  quiet = await waitForQuiet(QUIET_PCT, QUIET_WAIT_S);
  console.error(`machine busy ${quiet.busyPct} % of one core before start${quiet.quiet ? '' : ' (NOT quiet: figures are disturbed)'}`);
  console.error(`starting stack (${stack.dbName}, prefix ${stack.prefix}) ...`);
  await stack.start();
  const procs = Array.from({ length: CLIENT_PROCS }, () => new ClientProc());
  // Idle (a listening socket) until its own phase, after the api's window.
  const raw = new RawBroadcastProc(RAW_BATCH_MS);
  try {
    await run(stack, procs, raw);
  } finally {
    await Promise.all([...procs, raw].map((p) => p.stop()));
    await stack.stop();
  }
}

async function run(stack: TestStack, procs: ClientProc[], raw: RawBroadcastProc): Promise<void> {
  const machine = await machineInfo(stack.db, stack.redis);
  const build = buildInfo();
  await Promise.all(procs.map((p) => p.next('ready', 60_000)));
  const apiPid = stack.apis[0].pid!;
  const pg = await new PgAttribution(stack.db, stack.dbName, () => [
    { label: 'api', pid: apiPid },
    { label: 'worker', pid: stack.worker.pid! },
    { label: 'bench', pid: process.pid },
  ]).start();
  const sampler = new CpuSampler(
    stackLabeler({
      apiPids: [apiPid],
      workerPid: stack.worker.pid!,
      dbName: stack.dbName,
      pg,
      extra: () => [...procs.map((p) => ({ pid: p.pid, label: 'bench socket clients' })), { pid: raw.pid, label: 'raw ws server' }],
    }),
    1000,
  ).start();

  // ---- accounts: one per jurisdiction (the province and each district) -------------------------
  const { rows: users } = await stack.db.query<{ username: string; unit_code: string }>(
    `SELECT username, unit_code FROM users WHERE active AND (username LIKE '%.duty' OR username = 'province.commander') ORDER BY username`,
  );
  const jurisdictions: { code: string; level: 'province' | 'district'; usernames: string[] }[] = [
    { code: PROVINCE_CODE, level: 'province', usernames: users.filter((u) => u.unit_code === PROVINCE_CODE).map((u) => u.username) },
    ...DISTRICT_CODES.map((code) => ({ code, level: 'district' as const, usernames: users.filter((u) => u.unit_code === code).map((u) => u.username) })),
  ];
  for (const j of jurisdictions) if (!j.usernames.length) throw new Error(`no account for unit ${j.code}`);
  const specs: ClientSpec[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const j = jurisdictions[i % jurisdictions.length];
    const username = j.usernames[Math.floor(i / jurisdictions.length) % j.usernames.length];
    specs.push({ idx: i, token: await stack.token(username), jurisdiction: j.code, level: j.level });
  }
  const poster = 'province.duty';
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(poster)}` };
  const apiEventsUrl = `${stack.apiUrl}/api/v1/events`;

  // ---- open-loop load ----------------------------------------------------------------------------
  let serial = 0;
  interface Phase {
    posted: number;
    accepted: number;
    errors: Map<string, number>;
    latencies: number[];
    late: number; // sends that started more than one interval behind schedule
    inflightMax: number;
  }
  const offer = async (url: string, seconds: number, onAccepted?: (m: ToChild & { type: 'accepted' }) => void): Promise<Phase> => {
    const phase: Phase = { posted: 0, accepted: 0, errors: new Map(), latencies: [], late: 0, inflightMax: 0 };
    const intervalMs = (BATCH / RATE) * 1000;
    const total = Math.round((seconds * RATE) / BATCH);
    const start = performance.now();
    const inflight = new Set<Promise<void>>();
    for (let k = 0; k < total; k++) {
      const due = start + k * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else if (-wait > intervalMs) phase.late++;
      const events = Array.from({ length: BATCH }, () => {
        const i = serial++;
        return EventFactory.mixed(i, DISTRICT_CODES[i % DISTRICT_CODES.length]);
      });
      const body = JSON.stringify({ events });
      const sentAt = wallNow();
      const p = (async () => {
        try {
          const res = await fetch(url, { method: 'POST', headers, body });
          await res.arrayBuffer();
          const acceptedAt = wallNow();
          if (res.status !== 202) {
            phase.errors.set(`HTTP ${res.status}`, (phase.errors.get(`HTTP ${res.status}`) ?? 0) + 1);
            return;
          }
          phase.accepted += events.length;
          phase.latencies.push(acceptedAt - sentAt);
          onAccepted?.({ type: 'accepted', sentAt, acceptedAt, ids: events.map((e) => e.id), units: events.map((e) => e.unit) });
        } catch (err) {
          const key = (err as Error).message;
          phase.errors.set(key, (phase.errors.get(key) ?? 0) + 1);
        }
      })();
      phase.posted += events.length;
      inflight.add(p);
      phase.inflightMax = Math.max(phase.inflightMax, inflight.size);
      void p.finally(() => inflight.delete(p));
    }
    await Promise.all(inflight);
    return phase;
  };

  if (WARMUP_S > 0) {
    console.error(`warm-up: ${WARMUP_S}s at ${RATE} events/s, no sockets ...`);
    await offer(apiEventsUrl, WARMUP_S);
  }
  await sleep(3000);
  let inspector: InspectorProfiler | undefined;
  if (HEAP || PROFILE) {
    const wsUrl = InspectorProfiler.urlFromOutput(stack.apis[0].output);
    if (!wsUrl) throw new Error('--heap/--profile: no inspector URL in the api output');
    inspector = await new InspectorProfiler('api').connect(wsUrl);
  }
  const heapBefore = HEAP ? await inspector!.memoryUsage() : undefined;
  const rssBefore = await steadyRss(apiPid);

  // ---- connect the clients -----------------------------------------------------------------------
  console.error(`connecting ${CLIENTS} sockets from ${procs.length} client process(es) ...`);
  const share = procs.map((_, k) => specs.filter((_, i) => i % procs.length === k));
  /** Connects every client (its share in each process) to `target`; returns the slowest process's time. */
  const connectClients = async (target: FanoutTarget): Promise<number> => {
    const connected = await Promise.all(
      procs.map((p, k) => {
        const reply = p.next('connected', 180_000);
        p.send({ type: 'connect', target, clients: share[k], parallel: CONNECT_PARALLEL });
        return reply;
      }),
    );
    const failed = connected.reduce((s, c) => s + c.failed, 0);
    if (failed) throw new Error(`${failed} sockets failed to connect to ${target.kind}: ${connected.flatMap((c) => c.errors).join('; ')}`);
    return Math.max(...connected.map((c) => c.ms));
  };
  const connectMs = await connectClients({ kind: 'socket.io', url: stack.apiUrl });
  await sleep(3000);
  const rssIdle = await steadyRss(apiPid);
  const heapIdle = HEAP ? await inspector!.memoryUsage() : undefined;
  const offsets = await Promise.all(procs.map((p) => p.clockOffset()));

  // ---- measured window -----------------------------------------------------------------------------
  const baseSeq = Number((await stack.db.query<{ s: string | null }>('SELECT max(seq) AS s FROM event_log')).rows[0].s ?? 0);
  console.error(`measured: ${DURATION_S}s at ${RATE} events/s (${BATCH} per POST) to ${CLIENTS} sockets ...`);
  if (PROFILE) await inspector!.start();
  const cpuStart = sampler.mark();
  const phase = await offer(apiEventsUrl, DURATION_S, (m) => procs.forEach((p) => p.send(m)));
  const cpuEnd = sampler.mark();
  const profile = PROFILE ? await inspector!.stop(`${resultsDir()}/fanout-api-${Date.now()}.cpuprofile`) : undefined;
  inspector?.close();
  const rssLoaded = processMemory(apiPid);

  const drainMs = await drainDeliveries(procs);
  await sleep(1000); // a duplicate would arrive now
  const { rows: recorded } = await stack.db.query<{ id: string; t: number }>(
    `SELECT id, extract(epoch FROM recorded_at) * 1000 AS t FROM event_log WHERE seq > $1`,
    [baseSeq],
  );
  const recordedAt: [string, number][] = recorded.map((r) => [r.id, Number(r.t)]);
  const results = await collectResults(procs, offsets, recordedAt);

  // ---- ceiling: the same load through a raw ws broadcast, to the same number of clients ------------
  const rawUrl = `http://127.0.0.1:${(await raw.listening).port}`;
  console.error(`raw ws baseline (conflation ${RAW_BATCH_MS ? `${RAW_BATCH_MS} ms` : 'none'}): warm-up ${WARMUP_S}s, then ${DURATION_S}s to ${CLIENTS} WebSockets ...`);
  if (WARMUP_S > 0) await offer(rawUrl, WARMUP_S);
  const rawConnectMs = await connectClients({ kind: 'ws', url: rawUrl.replace(/^http/, 'ws') });
  await sleep(3000);
  const rawOffsets = await Promise.all(procs.map((p) => p.clockOffset()));
  const rawCpuStart = sampler.mark();
  const rawPhase = await offer(rawUrl, DURATION_S, (m) => procs.forEach((p) => p.send(m)));
  const rawCpuEnd = sampler.mark();
  const rawDrainMs = await drainDeliveries(procs);
  await sleep(1000);
  sampler.stop();
  pg.stop();
  const rawSent = await raw.stats();
  const rawResults = await collectResults(procs, rawOffsets, []);

  // ---- figures -------------------------------------------------------------------------------------
  const merged = mergeLatencies(results);
  const rawMerged = mergeLatencies(rawResults);
  const sum = (f: (r: ChildResult) => number, of = results) => of.reduce((s, r) => s + f(r), 0);
  const cpuWindow = foldOthers(sampler.window(cpuStart, cpuEnd));
  const lost = sum((r) => r.lost);
  const duplicates = sum((r) => r.duplicates);
  const p99 = merged.fromAccepted.all.percentile(99);
  const p99Upper = merged.fromRecordedAt.all.percentile(99);
  const rawLost = sum((r) => r.lost, rawResults);
  const rawP99 = rawMerged.fromAccepted.all.percentile(99);
  const ratioFromAccepted = p99 / rawP99;
  const ratioFromSent = merged.fromSent.all.percentile(99) / rawMerged.fromSent.all.percentile(99);
  const bytesPerEvent = (of: ChildResult[]) => {
    const known = of.map((r) => r.bytesPerEvent).filter((b): b is number => b !== null);
    return known.length ? Math.round(known.reduce((a, b) => a + b, 0) / known.length) : null;
  };
  const perSocketBytes = rssBefore && rssIdle ? (rssIdle - rssBefore) / CLIENTS : NaN;

  const result = {
    bench: 'fanout',
    machine,
    build,
    machineBusyBeforeStart: quiet,
    /** Confirms a --node-options experiment was loaded (bench/experiments/* print a warning). */
    experimentsLoaded: [...new Set(stack.apis[0].output.match(/bench experiment:[^\n]*/g) ?? [])],
    command: `npm run bench:fanout -- ${process.argv.slice(2).join(' ')}`.trim(),
    params: { nodeOptions: NODE_OPTIONS || null, clients: CLIENTS, rate: RATE, durationS: DURATION_S, batch: BATCH, clientProcs: procs.length, warmupS: WARMUP_S, liveBatchMs: 100, relayGraceMs: 2000 },
    sockets: {
      byJurisdiction: Object.fromEntries(jurisdictions.map((j) => [j.code, specs.filter((s) => s.jurisdiction === j.code).length])),
      connectSeconds: round(connectMs / 1000, 2),
      disconnectsDuringRun: sum((r) => r.disconnects),
      resyncs: sum((r) => r.resyncs),
    },
    load: loadFigures(phase),
    delivery: deliveryFigures(results, drainMs),
    latencyMs: latencyFigures(merged),
    memory: {
      apiRssBeforeMiB: mib(rssBefore),
      apiRssIdleClientsMiB: mib(rssIdle),
      apiRssAfterLoadMiB: mib(rssLoaded?.rss),
      apiRssPeakMiB: mib(rssLoaded?.hwm),
      perSocketKiB: round(perSocketBytes / 1024, 1),
      ...(heapBefore && heapIdle
        ? {
            heapAfterGcMiB: { before: mib(heapBefore.heapUsed), withIdleSockets: mib(heapIdle.heapUsed) },
            perSocketHeapKiB: round((heapIdle.heapUsed - heapBefore.heapUsed) / CLIENTS / 1024, 1),
            perSocketExternalKiB: round((heapIdle.external + heapIdle.arrayBuffers - heapBefore.external - heapBefore.arrayBuffers) / CLIENTS / 1024, 1),
          }
        : {}),
      clientProcsRssMiB: results.map((r) => mib(r.rssBytes)),
    },
    cpuPctOfOneCore: cpuWindow,
    clientProcs: results.map((r, k) => ({ pid: r.pid, clients: r.clients, eventLoopDelayMs: r.eventLoopDelayMs, clockOffsetMs: round(offsets[k].offsetMs, 3), clockRttMs: round(offsets[k].rttMs, 3), cpuSeconds: round(r.cpuMs / 1000, 1) })),
    rawWsBaseline: {
      conflationMs: RAW_BATCH_MS,
      connectSeconds: round(rawConnectMs / 1000, 2),
      disconnectsDuringRun: sum((r) => r.disconnects, rawResults),
      load: loadFigures(rawPhase),
      delivery: deliveryFigures(rawResults, rawDrainMs),
      latencyMs: latencyFigures(rawMerged),
      sent: { messages: rawSent.messages, bytes: rawSent.bytes, deliveries: rawSent.deliveries },
      cpuPctOfOneCore: foldOthers(sampler.window(rawCpuStart, rawCpuEnd)),
      clientProcs: rawResults.map((r) => ({ pid: r.pid, eventLoopDelayMs: r.eventLoopDelayMs, cpuSeconds: round(r.cpuMs / 1000, 1) })),
    },
    comparison: {
      /** Mean JSON size of one event in the received messages, sampled: both phases carry the same events. */
      bytesPerEvent: { api: bytesPerEvent(results), rawWs: bytesPerEvent(rawResults) },
      p99FromAcceptedMs: { api: round(p99), rawWs: round(rawP99), ratio: round(ratioFromAccepted, 2) },
      p99FromSentMs: { api: round(merged.fromSent.all.percentile(99)), rawWs: round(rawMerged.fromSent.all.percentile(99)), ratio: round(ratioFromSent, 2) },
      lost: { api: lost, rawWs: rawLost },
    },
    target: { p99Ms: TARGET_P99_MS, met: p99 < TARGET_P99_MS && p99Upper < TARGET_P99_MS && lost === 0 && duplicates === 0 },
    targetRatioToRawWs: { maxRatio: TARGET_RATIO_TO_RAW, ratio: round(ratioFromAccepted, 2), met: ratioFromAccepted <= TARGET_RATIO_TO_RAW && lost === 0 },
    cpuSeries: sampler.series(),
    ...(profile ? { apiProfile: profile } : {}),
  };
  const file = saveResult('fanout', result);
  console.log(markdown(result));
  if (profile) {
    console.log(`\napi CPU profile (${profile.seconds} s, thread busy ${profile.busyPct} %):`);
    console.log(`  by area: ${profile.byArea.slice(0, 12).map((a) => `${a.area} ${a.pct} %`).join(', ')}`);
    for (const f of profile.topFunctions.slice(0, 15)) console.log(`  ${String(f.pct).padStart(5)} %  ${f.fn}`);
  }
  console.log(`\nraw JSON: ${file}`);
}

/** Polls the client processes until every socket has every event of its jurisdiction, or 15 s pass; returns the time taken. */
async function drainDeliveries(procs: ClientProc[]): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < 15_000) {
    const replies = await Promise.all(
      procs.map((p) => {
        const r = p.next('status', 10_000);
        p.send({ type: 'status' });
        return r;
      }),
    );
    if (replies.reduce((s, r) => s + r.received, 0) >= replies.reduce((s, r) => s + r.expected, 0)) break;
    await sleep(200);
  }
  return performance.now() - start;
}

/** Ends a phase in every client process: its receipts turned into latencies (child clocks corrected). */
function collectResults(procs: ClientProc[], offsets: { offsetMs: number }[], recordedAt: [string, number][]): Promise<ChildResult[]> {
  return Promise.all(
    procs.map((p, k) => {
      const r = p.next('result', 120_000);
      p.send({ type: 'finish', clockOffsetMs: offsets[k].offsetMs, recordedAt });
      return r.then((m) => m.result);
    }),
  );
}

type Latencies = Record<LatencyKind, Record<'all' | 'province' | 'district', LatencyHistogram>>;

function mergeLatencies(results: ChildResult[]): Latencies {
  return Object.fromEntries(
    LATENCY_KINDS.map((k) => {
      const groups = { all: new LatencyHistogram(), province: new LatencyHistogram(), district: new LatencyHistogram() };
      for (const r of results) for (const g of ['all', 'province', 'district'] as const) groups[g].merge(r.histograms[k][g]);
      return [k, groups];
    }),
  ) as Latencies;
}

function latencyFigure(h: LatencyHistogram) {
  const s = h.summary();
  return { samples: s.n, p50: round(s.p50), p90: round(s.p90), p99: round(s.p99), p999: round(s.p999), max: round(s.max), mean: round(s.mean), over250ms: round(h.fractionAbove(250) * 100, 3), outOfRange: h.under + h.over };
}

function latencyFigures(merged: Latencies) {
  return Object.fromEntries(
    LATENCY_KINDS.map((k) => [k, { all: latencyFigure(merged[k].all), province: latencyFigure(merged[k].province), district: latencyFigure(merged[k].district) }]),
  );
}

function deliveryFigures(results: ChildResult[], drainMs: number) {
  const sum = (f: (r: ChildResult) => number) => results.reduce((s, r) => s + f(r), 0);
  return {
    expectedDeliveries: sum((r) => r.expected),
    receipts: sum((r) => r.receipts),
    lost: sum((r) => r.lost),
    duplicates: sum((r) => r.duplicates),
    outsideJurisdiction: sum((r) => r.unexpected),
    unknownEvents: sum((r) => r.unknown),
    drainSeconds: round(drainMs / 1000, 2),
    lostByClient: results.flatMap((r) => r.lostByClient).slice(0, 50),
  };
}

function loadFigures(phase: { posted: number; accepted: number; errors: Map<string, number>; latencies: number[]; late: number; inflightMax: number }) {
  const http = summarize(phase.latencies);
  return {
    offeredEvents: phase.posted,
    acceptedEvents: phase.accepted,
    acceptedPerSecond: round(phase.accepted / DURATION_S),
    errors: Object.fromEntries(phase.errors),
    lateSends: phase.late,
    maxInflightRequests: phase.inflightMax,
    httpLatencyMs: { p50: round(http.p50), p99: round(http.p99), max: round(http.max) },
  };
}

/** RSS of a process, read three times 500 ms apart: the median (RSS moves with GC). */
async function steadyRss(pid: number): Promise<number | undefined> {
  const reads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const m = processMemory(pid);
    if (m) reads.push(m.rss);
    await sleep(500);
  }
  return reads.sort((a, b) => a - b)[Math.floor(reads.length / 2)];
}

function mib(bytes: number | undefined): number | null {
  return bytes === undefined || Number.isNaN(bytes) ? null : round(bytes / 2 ** 20, 1);
}

type Lat = { samples: number; p50: number; p90: number; p99: number; p999: number; max: number; over250ms: number; outOfRange: number };
type Result = {
  machine: Awaited<ReturnType<typeof machineInfo>>;
  build: BuildInfo;
  machineBusyBeforeStart: { busyPct: number; quiet: boolean } | undefined;
  command: string;
  params: { clients: number; rate: number; durationS: number; batch: number; clientProcs: number; warmupS: number };
  sockets: { byJurisdiction: Record<string, number>; connectSeconds: number; disconnectsDuringRun: number; resyncs: number };
  load: { acceptedEvents: number; offeredEvents: number; acceptedPerSecond: number; errors: Record<string, number>; lateSends: number; httpLatencyMs: Record<string, number> };
  delivery: { expectedDeliveries: number; receipts: number; lost: number; duplicates: number; outsideJurisdiction: number; unknownEvents: number; drainSeconds: number };
  latencyMs: Record<string, Record<string, Lat>>;
  memory: {
    apiRssBeforeMiB: number | null;
    apiRssIdleClientsMiB: number | null;
    apiRssAfterLoadMiB: number | null;
    apiRssPeakMiB: number | null;
    perSocketKiB: number;
    perSocketHeapKiB?: number;
    perSocketExternalKiB?: number;
    clientProcsRssMiB: (number | null)[];
  };
  cpuPctOfOneCore: Record<string, number | string>;
  clientProcs: { eventLoopDelayMs: { p50: number; p99: number; max: number }; clockOffsetMs: number; clockRttMs: number }[];
  target: { p99Ms: number; met: boolean };
  rawWsBaseline: {
    conflationMs: number;
    connectSeconds: number;
    disconnectsDuringRun: number;
    load: { acceptedEvents: number; offeredEvents: number; errors: Record<string, number>; lateSends: number; httpLatencyMs: Record<string, number> };
    delivery: { expectedDeliveries: number; receipts: number; lost: number; duplicates: number; outsideJurisdiction: number; drainSeconds: number };
    latencyMs: Record<string, Record<string, Lat>>;
    cpuPctOfOneCore: Record<string, number | string>;
    clientProcs: { eventLoopDelayMs: { p99: number; max: number } }[];
  };
  comparison: {
    bytesPerEvent: { api: number | null; rawWs: number | null };
    p99FromAcceptedMs: { api: number; rawWs: number; ratio: number };
    p99FromSentMs: { api: number; rawWs: number; ratio: number };
  };
  targetRatioToRawWs: { maxRatio: number; ratio: number; met: boolean };
};

function markdown(r: Result): string {
  const l = (x: Lat) => `p50 ${x.p50} ms, p90 ${x.p90} ms, **p99 ${x.p99} ms**, p99.9 ${x.p999} ms, max ${x.max} ms (${x.over250ms} % over 250 ms${x.outOfRange ? `; ${x.outOfRange} samples outside the histogram range` : ''})`;
  const cpu = cpuLine(r.cpuPctOfOneCore);
  const errors = Object.entries(r.load.errors).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  const loops = r.clientProcs.map((c) => `p99 ${c.eventLoopDelayMs.p99} / max ${c.eventLoopDelayMs.max} ms`).join('; ');
  const province = r.sockets.byJurisdiction['22'];
  return [
    `#### fan-out — ${r.machine.date.slice(0, 10)}`,
    '',
    `- machine: ${machineLine(r.machine)}; load avg at start ${r.machine.loadAvgAtStart.join(' ')}; machine busy before start ${r.machineBusyBeforeStart?.busyPct ?? '?'} % of one core${r.machineBusyBeforeStart?.quiet === false ? ' (NOT quiet)' : ''}`,
    `- product: ${buildLine(r.build)}`,
    `- command: \`${r.command}\` (${r.params.clients} sockets: ${province} province, the rest over 13 districts; ${r.params.rate} events/s open loop in POSTs of ${r.params.batch} for ${r.params.durationS} s after a ${r.params.warmupS} s warm-up; clients in ${r.params.clientProcs} child processes on the same machine)`,
    '',
    ...(disturbedNote(r.cpuPctOfOneCore) ? [disturbedNote(r.cpuPctOfOneCore)!, ''] : []),
    '| figure | value |',
    '|---|---|',
    `| latency commit → socket, lower bound (from the 202) | ${l(r.latencyMs.fromAccepted.all)} |`,
    `| latency commit → socket, upper bound (from recorded_at = transaction start) | ${l(r.latencyMs.fromRecordedAt.all)} |`,
    `| latency POST sent → socket | ${l(r.latencyMs.fromSent.all)} |`,
    `| province sockets (every event) / district sockets, from the 202 | p50 ${r.latencyMs.fromAccepted.province.p50} / ${r.latencyMs.fromAccepted.district.p50} ms, p99 ${r.latencyMs.fromAccepted.province.p99} / ${r.latencyMs.fromAccepted.district.p99} ms |`,
    `| deliveries | ${fmtInt(r.delivery.receipts)} received of ${fmtInt(r.delivery.expectedDeliveries)} expected; **lost ${r.delivery.lost}**, duplicates ${r.delivery.duplicates}, outside jurisdiction ${r.delivery.outsideJurisdiction}, unknown ${r.delivery.unknownEvents}; all in ${r.delivery.drainSeconds} s after the last 202 |`,
    `| ingest | ${fmtInt(r.load.acceptedEvents)} of ${fmtInt(r.load.offeredEvents)} events accepted (${fmtInt(r.load.acceptedPerSecond)}/s), HTTP p50 ${r.load.httpLatencyMs.p50} ms, p99 ${r.load.httpLatencyMs.p99} ms, errors: ${errors}, late sends ${r.load.lateSends} |`,
    `| memory per connected socket (api RSS) | **${r.memory.perSocketKiB} KiB** (api RSS ${r.memory.apiRssBeforeMiB} MiB → ${r.memory.apiRssIdleClientsMiB} MiB with ${r.params.clients} idle sockets → ${r.memory.apiRssAfterLoadMiB} MiB after the load, peak ${r.memory.apiRssPeakMiB} MiB) |`,
    ...(r.memory.perSocketHeapKiB !== undefined
      ? [`| memory per connected socket (api heap after a forced GC, --heap) | ${r.memory.perSocketHeapKiB} KiB JS heap + ${r.memory.perSocketExternalKiB} KiB external/array buffers |`]
      : []),
    `| sockets | connected in ${r.sockets.connectSeconds} s; disconnects during the run ${r.sockets.disconnectsDuringRun}, resyncs ${r.sockets.resyncs} |`,
    `| CPU during window (% of one core) | ${cpu} |`,
    `| client processes | event-loop delay ${loops}; clock offset ${r.clientProcs.map((c) => `${c.clockOffsetMs} ms (rtt ${c.clockRttMs})`).join(', ')} |`,
    `| target p99 < ${r.target.p99Ms} ms, 0 lost | ${r.target.met ? '**met**' : '**missed**'} |`,
    '',
    rawBlock(r),
  ].join('\n');
}

/** The same-run ceiling: the raw ws broadcast's figures and the api's p99 as a share of it. */
function rawBlock(r: Result): string {
  const raw = r.rawWsBaseline;
  const c = r.comparison;
  const short = (x: Lat) => `p50 ${x.p50} ms, p90 ${x.p90} ms, **p99 ${x.p99} ms**, max ${x.max} ms`;
  const errors = Object.entries(raw.load.errors).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  return [
    `Ceiling in the same run: a raw \`ws\` broadcast (bench/support/raw-broadcast.ts; conflation ${raw.conflationMs ? `${raw.conflationMs} ms timer` : 'none, each POST broadcast as it arrives'}) of the same load to ${r.params.clients} WebSockets from the same client processes:`,
    '',
    '| figure | value |',
    '|---|---|',
    `| raw ws latency from its 202 | ${short(raw.latencyMs.fromAccepted.all)} |`,
    `| raw ws latency POST sent → socket | ${short(raw.latencyMs.fromSent.all)} |`,
    `| raw ws deliveries | ${fmtInt(raw.delivery.receipts)} received of ${fmtInt(raw.delivery.expectedDeliveries)} expected; **lost ${raw.delivery.lost}**, duplicates ${raw.delivery.duplicates}, outside jurisdiction ${raw.delivery.outsideJurisdiction}; ${fmtInt(raw.load.acceptedEvents)} of ${fmtInt(raw.load.offeredEvents)} events accepted, HTTP p99 ${raw.load.httpLatencyMs.p99} ms, errors: ${errors}, late sends ${raw.load.lateSends}; disconnects ${raw.disconnectsDuringRun} |`,
    `| raw ws CPU during its window (% of one core) | ${cpuLine(raw.cpuPctOfOneCore)} |`,
    `| raw ws client processes | event-loop delay ${raw.clientProcs.map((p) => `p99 ${p.eventLoopDelayMs.p99} / max ${p.eventLoopDelayMs.max} ms`).join('; ')} |`,
    `| bytes per event in the messages (sampled) | api ${c.bytesPerEvent.api ?? '?'} B, raw ws ${c.bytesPerEvent.rawWs ?? '?'} B |`,
    `| **api p99 / raw ws p99** | **${c.p99FromAcceptedMs.ratio}** from the 202 (${c.p99FromAcceptedMs.api} / ${c.p99FromAcceptedMs.rawWs} ms); ${c.p99FromSentMs.ratio} from the POST sent (${c.p99FromSentMs.api} / ${c.p99FromSentMs.rawWs} ms) |`,
    `| target api p99 ≤ ${r.targetRatioToRawWs.maxRatio} × raw ws p99, 0 lost | ${r.targetRatioToRawWs.met ? '**met**' : '**missed**'} |`,
  ].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
