import { z } from 'zod';
import { ROLES } from './roles';
import type { StoredEvent } from './events';
import { unitCodeSchema } from './units';

export const MAX_EVENTS_PER_BATCH = 1000;

/** `/:id` of a record: a UUID, read in lower case whatever case the client sent. */
export const idParamsSchema = z.strictObject({ id: z.uuid().transform((id) => id.toLowerCase()) });
/** `/units/:code/...`. */
export const unitCodeParamsSchema = z.strictObject({ code: unitCodeSchema });
/** `?unit=CODE` of the console's reads (default: the caller's home unit). */
export const unitQuerySchema = z.strictObject({ unit: unitCodeSchema.optional() });
/** `GET /api/v1/units/geo?root=CODE`. */
export const unitsGeoQuerySchema = z.strictObject({ root: unitCodeSchema.optional() });
/** `GET /api/v1/trend?unit=CODE&days=1..60`. */
export const trendQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  days: z.coerce.number().int().min(1).max(60).default(14),
});

export const loginRequestSchema = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export interface SessionUser {
  username: string;
  role: (typeof ROLES)[number];
  unit: { code: string; name: string; level: string };
  displayName?: string;
}
export interface LoginResponse {
  accessToken: string;
  user: SessionUser;
}

/** The body of POST /api/v1/events; each event is validated by parseEventInput. */
export const ingestRequestSchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
});
export interface IngestResponse {
  accepted: { id: string; seq: number }[];
}

/** Every error response has this shape (one exception filter produces it). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}

export interface UnitCounters {
  f0Today: number;
  f0Last7Days: number;
  f1Active: number;
  testsToday: number;
  positivesToday: number;
  openReports: number;
}

export interface SnapshotResponse {
  unit: { code: string; name: string; level: string };
  /** Stream cursor this snapshot is consistent with: pass it as `since` to /live. */
  cursor: string | null;
  generatedAt: string;
  day: string;
  counters: UnitCounters;
  /** Latest events of the unit's subtree, newest first (no cursor: they come from PostgreSQL). */
  recent: FeedEvent[];
  /** Urgent reports of the subtree nobody has acknowledged yet, newest first (at most 200). */
  unacknowledged: FeedEvent[];
}

/** Socket.IO namespace /live. */
export const LIVE_NAMESPACE = '/live';
export interface LiveHandshakeAuth {
  token: string;
  since?: string;
}
/** An event as consoles see it: no actor, coarse location, never personal fields. */
export type FeedEvent = Omit<StoredEvent, 'recordedAt' | 'actor'>;
/** An event as pushed over /live: a feed event plus its stream cursor. */
export type LiveEvent = FeedEvent & { cursor: string };
export interface LiveBatch {
  events: LiveEvent[];
}
export interface LiveResync {
  reason: 'cursor-unknown' | 'cursor-trimmed' | 'stream-reset' | 'backfill-too-large';
}
export const LIVE_EVENTS = { batch: 'events', resync: 'resync', ready: 'live' } as const;
