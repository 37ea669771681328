/**
 * A child process of bench/fanout.bench.ts: holds a share of the clients, records when each
 * event reaches each socket, and reports loss, duplicates and latency histograms. One phase
 * connects Socket.IO clients to the api, the next plain WebSockets to the raw `ws` baseline
 * (bench/support/raw-broadcast.ts); each phase's figures are reported on its own.
 * Receipts are kept compactly (event index + time) and turned into latencies at the end, when
 * the parent has sent every event's accept time and its PostgreSQL recorded_at.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { LiveBatch } from '@frontline/contracts';
import { ChildResult, ClientSpec, FanoutTarget, LATENCY_KINDS, LatencyKind, ToChild, ToParent, wallNow } from './fanout-protocol';
import { LatencyHistogram } from './stats';

const send = (msg: ToParent) => process.send!(msg);

interface LiveSocket {
  spec: ClientSpec;
  /** Position in `sockets`. */
  slot: number;
  /** Closes the connection. */
  close: () => void;
  /** Bit per event index: received at least once. */
  seen: Uint8Array;
  receivedExpected: number;
  disconnected: boolean;
}

// One phase's state (the api's sockets, then the raw ws baseline's), reset by startPhase().
let sockets: LiveSocket[];
let idIndex: Map<string, number>;
let units: string[];
let acceptedAt: Float64Array;
let sentAt: Float64Array;
let acceptedCountByUnit: Map<string, number>;
let acceptedTotal: number;
// Receipts: one row per (socket, event) first receipt.
let receiptEvent: Uint32Array;
let receiptTime: Float64Array;
let receiptSocket: Uint16Array;
let receipts: number;
let duplicates: number;
let resyncs: number;
/** Size of the received messages as JSON, sampled every BYTES_SAMPLE_EVERY batches. */
let sampledBytes: number;
let sampledEvents: number;
let batchesSeen: number;
let cpuAtStart: NodeJS.CpuUsage;
const BYTES_SAMPLE_EVERY = 64;

function startPhase(): void {
  sockets = [];
  idIndex = new Map();
  units = [];
  acceptedAt = new Float64Array(1 << 16);
  sentAt = new Float64Array(1 << 16);
  acceptedCountByUnit = new Map();
  acceptedTotal = 0;
  receiptEvent = new Uint32Array(1 << 20);
  receiptTime = new Float64Array(1 << 20);
  receiptSocket = new Uint16Array(1 << 20);
  receipts = 0;
  duplicates = 0;
  resyncs = 0;
  sampledBytes = 0;
  sampledEvents = 0;
  batchesSeen = 0;
  cpuAtStart = process.cpuUsage();
  loopDelay.reset();
}

/** Node's histogram records each timer period, so an idle loop reads LOOP_SAMPLE_MS: it is subtracted. */
const LOOP_SAMPLE_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
loopDelay.enable();
startPhase();

function indexOf(id: string): number {
  let idx = idIndex.get(id);
  if (idx === undefined) {
    idx = idIndex.size;
    idIndex.set(id, idx);
    if (idx >= acceptedAt.length) {
      acceptedAt = grow(acceptedAt, acceptedAt.length * 2);
      sentAt = grow(sentAt, sentAt.length * 2);
    }
  }
  return idx;
}

function grow<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(arr: T, size: number): T {
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}

function onBatch(s: LiveSocket, batch: LiveBatch): void {
  const t = wallNow();
  if (batchesSeen++ % BYTES_SAMPLE_EVERY === 0) {
    sampledBytes += Buffer.byteLength(JSON.stringify(batch));
    sampledEvents += batch.events.length;
  }
  for (const event of batch.events) {
    const idx = indexOf(event.id);
    const byte = idx >> 3;
    const bit = 1 << (idx & 7);
    if (byte >= s.seen.length) s.seen = grow(s.seen, Math.max(s.seen.length * 2, byte + 1));
    if (s.seen[byte] & bit) {
      duplicates++;
      continue;
    }
    s.seen[byte] |= bit;
    if (event.unitPath.includes(s.spec.jurisdiction)) s.receivedExpected++;
    if (receipts >= receiptEvent.length) {
      receiptEvent = grow(receiptEvent, receiptEvent.length * 2);
      receiptTime = grow(receiptTime, receiptTime.length * 2);
      receiptSocket = grow(receiptSocket, receiptSocket.length * 2);
    }
    receiptEvent[receipts] = idx;
    receiptTime[receipts] = t;
    receiptSocket[receipts] = s.slot;
    receipts++;
  }
}

function connectOne(target: FanoutTarget, spec: ClientSpec): Promise<void> {
  return target.kind === 'socket.io' ? connectSocketIo(target.url, spec) : connectRawWs(target.url, spec);
}

function track(spec: ClientSpec, close: () => void): LiveSocket {
  const s: LiveSocket = { spec, slot: sockets.length, close, seen: new Uint8Array(1 << 13), receivedExpected: 0, disconnected: false };
  sockets.push(s);
  return s;
}

function connectSocketIo(apiUrl: string, spec: ClientSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(`${apiUrl}/live`, {
      auth: { token: spec.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 30_000,
    });
    const s = track(spec, () => socket.disconnect());
    socket.on('events', (batch: LiveBatch) => onBatch(s, batch));
    socket.on('resync', () => resyncs++);
    socket.on('disconnect', () => {
      s.disconnected = true;
    });
    const timer = setTimeout(() => reject(new Error(`socket ${spec.idx}: no 'live' signal within 30 s`)), 30_000);
    socket.once('live', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The raw baseline: a plain WebSocket whose every message is one JSON batch of its jurisdiction. */
function connectRawWs(serverUrl: string, spec: ClientSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${serverUrl}/?unit=${encodeURIComponent(spec.jurisdiction)}`);
    const s = track(spec, () => socket.close());
    socket.on('message', (data: Buffer) => onBatch(s, JSON.parse(data.toString('utf8')) as LiveBatch));
    socket.on('close', () => {
      s.disconnected = true;
    });
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
}

async function connectAll(target: FanoutTarget, clients: ClientSpec[], parallel: number): Promise<void> {
  const t0 = performance.now();
  const errors: string[] = [];
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < clients.length) {
        const spec = clients[next++];
        await connectOne(target, spec).catch((err: Error) => {
          failed++;
          if (errors.length < 5) errors.push(err.message);
        });
      }
    }),
  );
  send({ type: 'connected', count: clients.length - failed, failed, ms: Math.round(performance.now() - t0), errors });
}

function expectedFor(s: LiveSocket): number {
  if (s.spec.level === 'province') return acceptedTotal;
  return acceptedCountByUnit.get(s.spec.jurisdiction) ?? 0;
}

function finish(clockOffsetMs: number, recordedAtList: [string, number][]): ChildResult {
  const recordedAt = new Float64Array(acceptedAt.length).fill(NaN);
  for (const [id, t] of recordedAtList) {
    const idx = idIndex.get(id);
    if (idx !== undefined) recordedAt[idx] = t;
  }
  const known = new Uint8Array(idIndex.size);
  for (const [, idx] of idIndex) if (acceptedAt[idx] > 0) known[idx] = 1;

  const histograms = Object.fromEntries(
    LATENCY_KINDS.map((k) => [k, { all: new LatencyHistogram(), province: new LatencyHistogram(), district: new LatencyHistogram() }]),
  ) as Record<LatencyKind, Record<'all' | 'province' | 'district', LatencyHistogram>>;
  let unknown = 0;
  let unexpected = 0;
  for (let r = 0; r < receipts; r++) {
    const idx = receiptEvent[r];
    const s = sockets[receiptSocket[r]];
    if (!known[idx]) {
      unknown++;
      continue;
    }
    const unit = units[idx];
    const inJurisdiction = s.spec.level === 'province' || unit === s.spec.jurisdiction;
    if (!inJurisdiction) {
      unexpected++;
      continue;
    }
    const t = receiptTime[r] - clockOffsetMs; // to the parent's clock
    const group = s.spec.level;
    const samples: [LatencyKind, number][] = [
      ['fromAccepted', t - acceptedAt[idx]],
      ['fromSent', t - sentAt[idx]],
      ['fromRecordedAt', t - recordedAt[idx]],
    ];
    for (const [kind, ms] of samples) {
      if (Number.isNaN(ms)) continue;
      histograms[kind].all.record(ms);
      histograms[kind][group].record(ms);
    }
  }

  let lost = 0;
  let expected = 0;
  const lostByClient: ChildResult['lostByClient'] = [];
  for (const s of sockets) {
    let clientLost = 0;
    for (let idx = 0; idx < idIndex.size; idx++) {
      if (!known[idx]) continue;
      if (s.spec.level !== 'province' && units[idx] !== s.spec.jurisdiction) continue;
      expected++;
      if (!(s.seen[idx >> 3] & (1 << (idx & 7)))) clientLost++;
    }
    lost += clientLost;
    if (clientLost) lostByClient.push({ idx: s.spec.idx, jurisdiction: s.spec.jurisdiction, lost: clientLost });
  }

  const cpu = process.cpuUsage(cpuAtStart);
  const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
  return {
    pid: process.pid,
    clients: sockets.length,
    receipts,
    duplicates,
    lost,
    expected,
    unexpected,
    unknown,
    disconnects: sockets.filter((s) => s.disconnected).length,
    resyncs,
    lostByClient: lostByClient.slice(0, 50),
    histograms: Object.fromEntries(
      LATENCY_KINDS.map((k) => [k, { all: histograms[k].all.toJSON(), province: histograms[k].province.toJSON(), district: histograms[k].district.toJSON() }]),
    ) as ChildResult['histograms'],
    eventLoopDelayMs: {
      p50: Math.max(0, ms(loopDelay.percentile(50)) - LOOP_SAMPLE_MS),
      p99: Math.max(0, ms(loopDelay.percentile(99)) - LOOP_SAMPLE_MS),
      max: Math.max(0, ms(loopDelay.max) - LOOP_SAMPLE_MS),
    },
    rssBytes: process.memoryUsage().rss,
    bytesPerEvent: sampledEvents ? Math.round(sampledBytes / sampledEvents) : null,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

process.on('message', (msg: ToChild) => {
  switch (msg.type) {
    case 'connect':
      void connectAll(msg.target, msg.clients, msg.parallel);
      loopDelay.reset();
      break;
    case 'ping':
      send({ type: 'pong', id: msg.id, t: wallNow() });
      break;
    case 'accepted':
      for (let i = 0; i < msg.ids.length; i++) {
        const idx = indexOf(msg.ids[i]);
        acceptedAt[idx] = msg.acceptedAt;
        sentAt[idx] = msg.sentAt;
        units[idx] = msg.units[i];
        acceptedCountByUnit.set(msg.units[i], (acceptedCountByUnit.get(msg.units[i]) ?? 0) + 1);
        acceptedTotal++;
      }
      break;
    case 'status': {
      let expected = 0;
      let received = 0;
      for (const s of sockets) {
        expected += expectedFor(s);
        received += Math.min(s.receivedExpected, expectedFor(s));
      }
      send({ type: 'status', expected, received, receipts });
      break;
    }
    case 'finish': {
      const result = finish(msg.clockOffsetMs, msg.recordedAt);
      for (const s of sockets) s.close();
      send({ type: 'result', result });
      startPhase(); // ready for the next phase; the parent ends this process when it is done
      break;
    }
  }
});

send({ type: 'ready', pid: process.pid });
