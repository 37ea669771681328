/**
 * A child process of bench/fanout.bench.ts: holds a share of the Socket.IO clients, records
 * when each event reaches each socket, and reports loss, duplicates and latency histograms.
 * Receipts are kept compactly (event index + time) and turned into latencies at the end, when
 * the parent has sent every event's accept time and its PostgreSQL recorded_at.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import type { LiveBatch } from '@frontline/contracts';
import { ChildResult, ClientSpec, LATENCY_KINDS, LatencyKind, ToChild, ToParent, wallNow } from './fanout-protocol';
import { LatencyHistogram } from './stats';

const send = (msg: ToParent) => process.send!(msg);

interface LiveSocket {
  spec: ClientSpec;
  /** Position in `sockets`. */
  slot: number;
  socket: Socket;
  /** Bit per event index: received at least once. */
  seen: Uint8Array;
  receivedExpected: number;
  disconnected: boolean;
}

const sockets: LiveSocket[] = [];
const idIndex = new Map<string, number>();
const units: string[] = [];
let acceptedAt = new Float64Array(1 << 16);
let sentAt = new Float64Array(1 << 16);
const acceptedCountByUnit = new Map<string, number>();
let acceptedTotal = 0;

// Receipts: one row per (socket, event) first receipt.
let receiptEvent = new Uint32Array(1 << 20);
let receiptTime = new Float64Array(1 << 20);
let receiptSocket = new Uint16Array(1 << 20);
let receipts = 0;
let duplicates = 0;
let resyncs = 0;

/** Node's histogram records each timer period, so an idle loop reads LOOP_SAMPLE_MS: it is subtracted. */
const LOOP_SAMPLE_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
loopDelay.enable();

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

function connectOne(apiUrl: string, spec: ClientSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = io(`${apiUrl}/live`, {
      auth: { token: spec.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 30_000,
    });
    const s: LiveSocket = { spec, slot: sockets.length, socket, seen: new Uint8Array(1 << 13), receivedExpected: 0, disconnected: false };
    sockets.push(s);
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

async function connectAll(apiUrl: string, clients: ClientSpec[], parallel: number): Promise<void> {
  const t0 = performance.now();
  const errors: string[] = [];
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < clients.length) {
        const spec = clients[next++];
        await connectOne(apiUrl, spec).catch((err: Error) => {
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

  const cpu = process.cpuUsage();
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
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

process.on('message', (msg: ToChild) => {
  switch (msg.type) {
    case 'connect':
      void connectAll(msg.apiUrl, msg.clients, msg.parallel);
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
      for (const s of sockets) s.socket.disconnect();
      send({ type: 'result', result });
      setTimeout(() => process.exit(0), 200);
      break;
    }
  }
});

send({ type: 'ready', pid: process.pid });
