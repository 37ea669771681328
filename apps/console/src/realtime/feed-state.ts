import type { FeedEvent, SnapshotResponse, UnitCounters } from '@frontline/contracts';
import { dayKey, daysBetween } from '../lib/time';

/** How many events the feed keeps; older ones drop out of view (the server keeps history). */
export const FEED_LIMIT = 500;
/** How many event ids are remembered to drop duplicates (redelivery after reconnect/backfill). */
export const SEEN_LIMIT = 5000;

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

export interface LiveState {
  connection: ConnectionState;
  /** True once a snapshot has been loaded: the screen has something to show. */
  loaded: boolean;
  counters: UnitCounters | null;
  /** The Asia/Ho_Chi_Minh day (yyyy-MM-dd) the daily counters are for. */
  countersDay: string | null;
  /** Newest first, at most FEED_LIMIT. */
  items: FeedItem[];
  /** When the snapshot in use was generated (server time, ISO). */
  snapshotAt: string | null;
  /** Client time (ms) of the newest event known: its arrival, or its occurredAt if from a snapshot. */
  lastEventAt: number | null;
  /** Client time (ms) the link was lost; null while live. */
  disconnectedAt: number | null;
}

export const INITIAL_LIVE_STATE: LiveState = {
  connection: 'resyncing',
  loaded: false,
  counters: null,
  countersDay: null,
  items: [],
  snapshotAt: null,
  lastEventAt: null,
  disconnectedAt: null,
};

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

/**
 * Applies events to the snapshot counters, the way the server's projections count them.
 * Daily counters only count events that occurred on `day` (Asia/Ho_Chi_Minh); drill events
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

/** The state after a snapshot: it replaces the list and the counters (the server's truth). */
export function withSnapshot(
  state: LiveState,
  snapshot: SnapshotResponse,
  seen: RecentIds,
): LiveState {
  const items: FeedItem[] = [];
  for (const event of snapshot.recent) {
    if (!isFeedEvent(event) || !seen.add(event.id)) continue;
    if (items.length < FEED_LIMIT) items.push({ event, receivedAt: null });
  }
  const newest = items[0] ? Date.parse(items[0].event.occurredAt) : NaN;
  return {
    ...state,
    loaded: true,
    counters: snapshot.counters,
    countersDay: snapshot.day,
    items,
    snapshotAt: snapshot.generatedAt,
    lastEventAt: Number.isNaN(newest) ? null : newest,
  };
}

/** The state after a batch (in stream order); events already seen are dropped. */
export function withBatch(
  state: LiveState,
  events: readonly FeedEvent[],
  seen: RecentIds,
  now: number,
): LiveState {
  const fresh = events.filter((event) => seen.add(event.id));
  if (fresh.length === 0) return state;
  const newestFirst = [...fresh].reverse().map((event) => ({ event, receivedAt: now }));
  return {
    ...state,
    items: [...newestFirst, ...state.items].slice(0, FEED_LIMIT),
    counters:
      state.counters && state.countersDay
        ? countEvents(state.counters, state.countersDay, fresh)
        : state.counters,
    lastEventAt: now,
  };
}
