import { FEED_HIDDEN_EVENT_TYPES, URGENT_REPORT_CATEGORIES } from '@frontline/contracts';
import type { FeedEvent, LiveEvent, SnapshotResponse, UnitCounters } from '@frontline/contracts';
import { dayKey, daysBetween } from '../lib/time';
import { inUnit } from '../lib/unit-path';

/** How many events the feed keeps; older ones drop out of view (the server keeps history). */
export const FEED_LIMIT = 500;
/** How many event ids are remembered to drop duplicates (redelivery after reconnect/backfill). */
export const SEEN_LIMIT = 5000;
/**
 * How many live events of the whole jurisdiction are kept after arrival, so that a drill-down
 * (a new unit's snapshot, with its own cursor) can add what arrived after that cursor.
 */
export const RECENT_LIVE_LIMIT = 5000;

/**
 * What the console shows about its link to the server:
 * - live: connected and caught up (the server said `live` after its backfill)
 * - reconnecting: link lost or still catching up after a reconnect
 * - resyncing: (re)loading the snapshot, then connecting from its cursor
 * - offline: no link for a while, or the browser reports no network
 */
export type ConnectionState = 'live' | 'reconnecting' | 'resyncing' | 'offline';

export interface FeedItem {
  /** From the snapshot (no cursor) or from /live (with one): shown the same way. */
  event: FeedEvent;
  /** Client time (ms) the event arrived over the socket; null for events from a snapshot. */
  receivedAt: number | null;
}

/** An event that came over the socket, with its stream cursor and arrival time. */
export interface ReceivedEvent {
  event: LiveEvent;
  receivedAt: number;
}

export interface LiveState {
  connection: ConnectionState;
  /** The unit the figures, feed and highlights are for (the view; the socket is the user's). */
  unit: string;
  /** True once a snapshot of `unit` has been loaded: the screen has something to show. */
  loaded: boolean;
  counters: UnitCounters | null;
  /** The local day (yyyy-MM-dd, configured time zone) the daily counters are for. */
  countersDay: string | null;
  /** Events of `unit`'s subtree, newest first, at most FEED_LIMIT (drill events included). */
  items: FeedItem[];
  /**
   * Urgent reports of the whole jurisdiction nobody has acknowledged yet, newest first: they
   * stay highlighted whatever unit is in view (the unit's own are `inUnit(event, unit)`).
   */
  unacknowledged: FeedEvent[];
  /** When the snapshot in use was generated (server time, ISO). */
  snapshotAt: string | null;
  /** Client time (ms) of the newest event known: its arrival, or its occurredAt if from a snapshot. */
  lastEventAt: number | null;
  /** Client time (ms) the link was lost; null while live. */
  disconnectedAt: number | null;
}

export function initialLiveState(unit: string): LiveState {
  return {
    connection: 'resyncing',
    unit,
    loaded: false,
    counters: null,
    countersDay: null,
    items: [],
    unacknowledged: [],
    snapshotAt: null,
    lastEventAt: null,
    disconnectedAt: null,
  };
}

/** A set of recent ids with a size bound: the oldest id is forgotten first. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly limit: number) {}

  /** Adds `id`; false when it was already there (a duplicate). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

/** A minimal check of what arrives from the server: enough to render and deduplicate it. */
export function isFeedEvent(value: unknown): value is FeedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<FeedEvent>;
  return (
    typeof e.id === 'string' &&
    typeof e.type === 'string' &&
    typeof e.unit === 'string' &&
    typeof e.occurredAt === 'string' &&
    typeof e.payload === 'object' &&
    e.payload !== null
  );
}

const HIDDEN: ReadonlySet<string> = new Set(FEED_HIDDEN_EVENT_TYPES);

/**
 * Whether an event is listed in the feed: progress of a job (`lab-upload.progressed`, about two a
 * second during an upload) is not; the screens that follow it take it from the socket.
 */
export function isListed(event: FeedEvent): boolean {
  return !HIDDEN.has(event.type);
}

/** A report.received whose category rings and waits for an acknowledgement. */
export function isUrgentReport(event: FeedEvent): boolean {
  return (
    event.type === 'report.received' &&
    (URGENT_REPORT_CATEGORIES as readonly unknown[]).includes(event.payload.category)
  );
}

/** The report a report.acknowledged event is about. */
export function acknowledgedReportId(event: FeedEvent): string | null {
  if (event.type !== 'report.acknowledged') return null;
  const id = event.payload.reportId;
  return typeof id === 'string' ? id : null;
}

interface ParsedCursor {
  epoch: string;
  ms: number;
  seq: number;
}

function parseCursor(cursor: string | null | undefined): ParsedCursor | null {
  if (typeof cursor !== 'string') return null;
  const match = /^(.+):(\d+)-(\d+)$/.exec(cursor);
  return match ? { epoch: match[1], ms: Number(match[2]), seq: Number(match[3]) } : null;
}

/**
 * Whether an event with stream cursor `cursor` came after a snapshot consistent with `since`
 * (so the snapshot's figures do not include it yet). Cursors are "epoch:ms-seq"; across
 * epochs (the stream was reset) the event is taken as newer.
 */
export function isAfter(cursor: string | null | undefined, since: string | null): boolean {
  const c = parseCursor(cursor);
  if (!c) return false;
  const s = parseCursor(since);
  if (!s || s.epoch !== c.epoch) return true;
  return c.ms > s.ms || (c.ms === s.ms && c.seq > s.seq);
}

/**
 * Applies events to the snapshot counters, the way the server's projections count them.
 * Daily counters only count events that occurred on `day` (the configured time zone); drill events
 * never change the real figures.
 */
export function countEvents(
  counters: UnitCounters,
  day: string,
  events: readonly FeedEvent[],
): UnitCounters {
  const next = { ...counters };
  for (const event of events) {
    if (event.drill) continue;
    const eventDay = dayKey(event.occurredAt);
    const age = daysBetween(eventDay, day);
    const today = age === 0;
    switch (event.type) {
      case 'case.confirmed':
        if (today) next.f0Today += 1;
        if (age >= 0 && age < 7) next.f0Last7Days += 1;
        break;
      case 'contact.identified':
        if (event.payload.classification === 'F1') next.f1Active += 1;
        break;
      case 'test.resulted':
        if (today) {
          next.testsToday += 1;
          if (event.payload.result === 'positive') next.positivesToday += 1;
        }
        break;
      case 'report.received':
        next.openReports += 1;
        break;
    }
  }
  return next;
}

const bySeqDesc = (a: FeedEvent, b: FeedEvent) => (b.seq ?? 0) - (a.seq ?? 0);

/**
 * Updates the unacknowledged urgent reports of the jurisdiction with events in stream order:
 * a new urgent report is added (one of `unit`'s subtree only after the snapshot's cursor: the
 * snapshot already lists the earlier ones), an acknowledgement removes its report wherever it
 * was (it may arrive in another console's unit view).
 */
function withAcknowledgements(
  current: readonly FeedEvent[],
  events: readonly LiveEvent[],
  unit: string,
  since: string | null,
): FeedEvent[] {
  let byId: Map<string, FeedEvent> | null = null;
  for (const event of events) {
    const acked = acknowledgedReportId(event);
    if (acked !== null) {
      if (!current.some((e) => e.id === acked) && !byId?.has(acked)) continue;
      byId ??= new Map(current.map((e) => [e.id, e]));
      byId.delete(acked);
    } else if (isUrgentReport(event) && (!inUnit(event, unit) || isAfter(event.cursor, since))) {
      byId ??= new Map(current.map((e) => [e.id, e]));
      byId.set(event.id, event);
    }
  }
  return byId ? [...byId.values()].sort(bySeqDesc) : (current as FeedEvent[]);
}

/**
 * The state after a snapshot of `snapshot.unit`: it replaces the list, the counters and the
 * highlights of that unit (the server's truth), then adds what arrived over the socket after
 * its cursor. `received` are the live events of the whole jurisdiction still remembered, in
 * stream order. Unacknowledged reports outside the unit come from `outside` (the home unit's
 * snapshot, when loaded with it) or else stay as they were.
 */
export function withSnapshot(
  state: LiveState,
  snapshot: SnapshotResponse,
  received: readonly ReceivedEvent[],
  outside?: readonly FeedEvent[],
): LiveState {
  const unit = snapshot.unit.code;
  const since = snapshot.cursor;
  const ids = new Set<string>();
  const items: FeedItem[] = [];
  for (const { event, receivedAt } of received) {
    if (!inUnit(event, unit) || !isListed(event) || ids.has(event.id)) continue;
    ids.add(event.id);
    items.push({ event, receivedAt });
  }
  for (const event of snapshot.recent ?? []) {
    if (!isFeedEvent(event) || !isListed(event) || ids.has(event.id)) continue;
    ids.add(event.id);
    items.push({ event, receivedAt: null });
  }
  items.sort((a, b) => bySeqDesc(a.event, b.event));
  if (items.length > FEED_LIMIT) items.length = FEED_LIMIT;

  const newer = received
    .map(({ event }) => event)
    .filter((event) => inUnit(event, unit) && isAfter(event.cursor, since));
  const known = new Map<string, FeedEvent>();
  for (const event of (outside ?? state.unacknowledged).filter(isFeedEvent)) {
    if (!inUnit(event, unit)) known.set(event.id, event);
  }
  for (const event of (snapshot.unacknowledged ?? []).filter(isFeedEvent)) {
    known.set(event.id, event);
  }
  const unacknowledged = withAcknowledgements(
    [...known.values()].sort(bySeqDesc),
    received.map(({ event }) => event),
    unit,
    since,
  );
  const newest = items[0]
    ? (items[0].receivedAt ?? Date.parse(items[0].event.occurredAt))
    : Number.NaN;
  const lastEventAt = Math.max(
    state.lastEventAt ?? -Infinity,
    Number.isNaN(newest) ? -Infinity : newest,
  );
  return {
    ...state,
    unit,
    loaded: true,
    counters: countEvents(snapshot.counters, snapshot.day, newer),
    countersDay: snapshot.day,
    items,
    unacknowledged,
    snapshotAt: snapshot.generatedAt,
    lastEventAt: Number.isFinite(lastEventAt) ? lastEventAt : null,
  };
}

/**
 * The state after a batch of fresh events (in stream order, duplicates already dropped).
 * `since` is the cursor of the snapshot the counters came from: only later events count.
 */
export function withBatch(
  state: LiveState,
  fresh: readonly LiveEvent[],
  since: string | null,
  now: number,
): LiveState {
  if (fresh.length === 0) return state;
  const mine = fresh.filter((event) => inUnit(event, state.unit));
  const next: LiveState = { ...state, lastEventAt: now };
  if (!state.loaded) return next;
  const listed = mine.filter(isListed);
  if (listed.length > 0) {
    const newestFirst = [...listed].reverse().map((event) => ({ event, receivedAt: now }));
    next.items = [...newestFirst, ...state.items].slice(0, FEED_LIMIT);
  }
  if (mine.length > 0 && state.counters && state.countersDay) {
    next.counters = countEvents(
      state.counters,
      state.countersDay,
      mine.filter((event) => isAfter(event.cursor, since)),
    );
  }
  next.unacknowledged = withAcknowledgements(state.unacknowledged, fresh, state.unit, since);
  return next;
}

/** The state after this console acknowledged `reportId` (before the live event confirms it). */
export function withoutReport(state: LiveState, reportId: string): LiveState {
  if (!state.unacknowledged.some((event) => event.id === reportId)) return state;
  return {
    ...state,
    unacknowledged: state.unacknowledged.filter((event) => event.id !== reportId),
  };
}
