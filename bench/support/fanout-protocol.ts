import type { SerializedHistogram } from './stats';

/**
 * Messages between the fan-out bench (parent: load, coordination) and its socket client
 * processes (children). Times are "wall ms": performance.timeOrigin + performance.now(), a
 * high-resolution reading of the system clock; the parent measures each child's offset with
 * ping/pong and the child subtracts it before computing latencies.
 */
export interface ClientSpec {
  idx: number;
  token: string;
  /** The unit code of the account's jurisdiction: its socket sees events whose unitPath contains it. */
  jurisdiction: string;
  level: 'province' | 'district';
}

/** Where the sockets connect: the api's Socket.IO namespace, or the raw `ws` baseline server. */
export type FanoutTarget = { kind: 'socket.io' | 'ws'; url: string };

export type ToChild =
  | { type: 'connect'; target: FanoutTarget; clients: ClientSpec[]; parallel: number }
  | { type: 'ping'; id: number }
  | { type: 'accepted'; sentAt: number; acceptedAt: number; ids: string[]; units: string[] }
  | { type: 'status' }
  | { type: 'finish'; clockOffsetMs: number; recordedAt: [string, number][] };

export type ToParent =
  | { type: 'ready'; pid: number }
  | { type: 'connected'; count: number; failed: number; ms: number; errors: string[] }
  | { type: 'pong'; id: number; t: number }
  | { type: 'status'; expected: number; received: number; receipts: number }
  | { type: 'result'; result: ChildResult };

export interface ChildResult {
  pid: number;
  clients: number;
  receipts: number;
  duplicates: number;
  /** Expected (in the socket's jurisdiction) but never received, summed over sockets. */
  lost: number;
  expected: number;
  /** Received although outside the socket's jurisdiction (must be 0). */
  unexpected: number;
  /** Received events that the parent never reported as accepted (should be 0). */
  unknown: number;
  disconnects: number;
  resyncs: number;
  lostByClient: { idx: number; jurisdiction: string; lost: number }[];
  histograms: Record<LatencyKind, Record<'all' | 'province' | 'district', SerializedHistogram>>;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  rssBytes: number;
  /** Mean JSON size of a received event inside its batch message (sampled), to show both phases carry the same events. */
  bytesPerEvent: number | null;
  cpuMs: number;
}

export type LatencyKind = 'fromAccepted' | 'fromSent' | 'fromRecordedAt';
export const LATENCY_KINDS: LatencyKind[] = ['fromAccepted', 'fromSent', 'fromRecordedAt'];

export const wallNow = (): number => performance.timeOrigin + performance.now();
