import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { QueryClient } from '@tanstack/react-query';
import { LIVE_EVENTS, LIVE_NAMESPACE } from '@frontline/contracts';
import type {
  LiveBatch,
  LiveEvent,
  LiveHandshakeAuth,
  LiveResync,
  SnapshotResponse,
} from '@frontline/contracts';
import { api, isPermanent, isUnauthorized } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { dayKey } from '../lib/time';
import {
  RECENT_LIVE_LIMIT,
  RecentIds,
  SEEN_LIMIT,
  initialLiveState,
  isFeedEvent,
  withBatch,
  withSnapshot,
  withoutReport,
} from './feed-state';
import type { ConnectionState, LiveState, ReceivedEvent } from './feed-state';

/**
 * The console's one realtime module (architecture.md, "Console sync protocol"):
 *   1. load the snapshot of the unit in view, with the stream cursor it is consistent with;
 *   2. connect to /live with `since` = that cursor; the server backfills, then says `live`;
 *   3. take each `events` batch, dropping ids already seen, and keep the last cursor;
 *   4. on a lost link Socket.IO reconnects by itself; every attempt sends the last cursor;
 *   5. on `resync` (or a new day for the daily counters) go back to 1.
 * There is ONE socket per user: it carries the user's whole jurisdiction. Choosing another unit
 * (drill-down) loads that unit's snapshot and filters the same stream by unit path; events that
 * arrived after that snapshot's cursor are added from the ones kept since arrival.
 * Live events also reach the map (subscribeEvents) and refresh the REST resources they change
 * (children figures, trend) in the query cache. The screen always shows which state it is in.
 */

interface ServerToClientEvents {
  [LIVE_EVENTS.batch]: (batch: LiveBatch) => void;
  [LIVE_EVENTS.resync]: (resync: LiveResync) => void;
  [LIVE_EVENTS.ready]: () => void;
}
type LiveSocket = Socket<ServerToClientEvents, Record<string, never>>;

/** The reason the server gives in connect_error when the token is missing, bad or expired. */
const UNAUTHORIZED = 'unauthorized';
/** Reconnecting for longer than this turns the indicator to offline. */
const OFFLINE_AFTER_MS = 10_000;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** How often to check whether the local day (the configured time zone) of the daily counters has passed. */
const DAY_CHECK_MS = 30_000;
/** REST figures changed by live events (children, trend) are refetched at most this often. */
const REFRESH_FIGURES_MS = 10_000;
/**
 * Live batches reach the screen (React) at most this often: the server sends a batch every
 * 100 ms under load, and each render re-lays out the feed and figures. Connection changes,
 * snapshots and acknowledgements are shown at once.
 */
const NOTIFY_EVERY_MS = 250;

function backoff(attempt: number): number {
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
  return delay / 2 + Math.random() * (delay / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export type LiveEventsListener = (events: readonly LiveEvent[]) => void;

export interface LiveClientOptions {
  token: string;
  /** Names the query cache entries this session may refresh. */
  username: string;
  /** The unit in view at start (the user's home unit or one below it). */
  unit: string;
  /**
   * The user's home unit (the jurisdiction): on a full sync in a unit below it, its snapshot
   * is loaded too, for the urgent reports nobody acknowledged elsewhere in the jurisdiction.
   */
  home?: string;
  /** The token was refused (REST 401 or socket `unauthorized`): the session is over. */
  onUnauthorized: () => void;
  /** REST resources that live events change are invalidated here (optional in tests). */
  queryClient?: QueryClient;
  /** Replaceable for tests; defaults to GET /api/v1/snapshot. */
  loadSnapshot?: (unit: string, signal: AbortSignal) => Promise<SnapshotResponse>;
}

export class LiveClient {
  private state: LiveState;
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<LiveEventsListener>();
  private readonly loadSnapshot: (unit: string, signal: AbortSignal) => Promise<SnapshotResponse>;

  private unit: string;
  private socket: LiveSocket | null = null;
  /** Cursor of the last event received (or of the snapshot): where a reconnect resumes. */
  private cursor: string | null = null;
  /** Cursor of the snapshot the counters of the view come from. */
  private viewCursor: string | null = null;
  private seen = new RecentIds(SEEN_LIMIT);
  /** Live events of the jurisdiction since the last full sync, in stream order (bounded). */
  private received: ReceivedEvent[] = [];
  /** True between the server's `live` and the next disconnect or resync. */
  private socketLive = false;

  /** Bumped by every (re)sync and by stop(): late answers of an older one are ignored. */
  private generation = 0;
  private syncing = false;
  private syncAbort: AbortController | null = null;
  /** The same for a drill-down's snapshot. */
  private viewGeneration = 0;
  private viewAbort: AbortController | null = null;
  private stopped = false;
  private started = false;

  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryAttempt = 0;
  private dayTimer: ReturnType<typeof setInterval> | undefined;
  private dayResyncedFor: string | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private lastNotifyAt = 0;

  constructor(private readonly options: LiveClientOptions) {
    this.unit = options.unit;
    this.state = initialLiveState(options.unit);
    this.loadSnapshot =
      options.loadSnapshot ?? ((unit, signal) => api.snapshot(options.token, unit, signal));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): LiveState => this.state;

  /**
   * Every fresh event of the jurisdiction (duplicates dropped), in stream order, after the
   * state has been updated: for the map's point store and the alarm.
   */
  readonly subscribeEvents = (listener: LiveEventsListener): (() => void) => {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  };

  start(): void {
    if (this.started) return;
    this.started = true;
    window.addEventListener('online', this.onBrowserOnline);
    window.addEventListener('offline', this.onBrowserOffline);
    this.dayTimer = setInterval(this.checkDay, DAY_CHECK_MS);
    void this.resync();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.generation += 1;
    this.viewGeneration += 1;
    this.syncAbort?.abort();
    this.viewAbort?.abort();
    clearTimeout(this.offlineTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.notifyTimer);
    clearInterval(this.dayTimer);
    window.removeEventListener('online', this.onBrowserOnline);
    window.removeEventListener('offline', this.onBrowserOffline);
    if (this.socket) {
      this.socket.removeAllListeners();
      this.socket.disconnect();
      this.socket = null;
    }
    this.listeners.clear();
    this.eventListeners.clear();
  }

  /**
   * Shows another unit of the jurisdiction: its snapshot is loaded, the socket stays as it is.
   * Until the snapshot is there the state says `loaded: false` (no figures of the wrong unit).
   */
  setUnit(unit: string): void {
    if (unit === this.unit || this.stopped) return;
    this.unit = unit;
    this.setState({
      ...initialLiveState(unit),
      connection: this.state.connection,
      // The jurisdiction's urgent reports stay listed; the new unit's snapshot refreshes its own.
      unacknowledged: this.state.unacknowledged,
      lastEventAt: this.state.lastEventAt,
      disconnectedAt: this.state.disconnectedAt,
    });
    if (!this.started) return;
    // Before the first connection the whole sync starts again with the new unit.
    if (this.syncing || !this.socket) void this.resync();
    else void this.loadView();
  }

  /** Live events of the jurisdiction kept since arrival (stream order): a new view starts from them. */
  recentEvents(): LiveEvent[] {
    return this.received.map(({ event }) => event);
  }

  /** This console acknowledged `reportId`: drop its highlight now (the live event follows). */
  markAcknowledged(reportId: string): void {
    this.setState(withoutReport(this.state, reportId));
  }

  // ---- state -------------------------------------------------------------------------------

  private setState(next: LiveState, batched = false): void {
    if (next === this.state || this.stopped) return;
    this.state = next;
    if (!batched) {
      this.notify();
      return;
    }
    if (this.notifyTimer !== undefined) return;
    const wait = Math.max(0, this.lastNotifyAt + NOTIFY_EVERY_MS - performance.now());
    this.notifyTimer = setTimeout(this.notify, wait);
  }

  private readonly notify = (): void => {
    clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.lastNotifyAt = performance.now();
    for (const listener of this.listeners) listener();
  };

  private update(patch: Partial<LiveState>): void {
    this.setState({ ...this.state, ...patch });
  }

  private setConnection(connection: ConnectionState): void {
    if (connection === 'live') {
      clearTimeout(this.offlineTimer);
      this.offlineTimer = undefined;
      this.update({ connection, disconnectedAt: null });
      return;
    }
    this.update({ connection, disconnectedAt: this.state.disconnectedAt ?? Date.now() });
  }

  // ---- snapshot ----------------------------------------------------------------------------

  /** Loads the snapshot (retrying until it comes), then (re)connects from its cursor. */
  private async resync(): Promise<void> {
    const generation = ++this.generation;
    this.viewGeneration += 1;
    this.viewAbort?.abort();
    this.syncAbort?.abort();
    const abort = new AbortController();
    this.syncAbort = abort;
    const first = this.socket === null;
    this.syncing = true;
    this.socketLive = false;
    clearTimeout(this.retryTimer);
    this.socket?.disconnect();
    this.setConnection('resyncing');

    for (let attempt = 0; ; attempt += 1) {
      const unit = this.unit;
      try {
        const home = this.options.home;
        const [snapshot, jurisdiction] = await Promise.all([
          this.loadSnapshot(unit, abort.signal),
          home && home !== unit
            ? this.loadSnapshot(home, abort.signal).catch((error: unknown) => {
                if (isUnauthorized(error)) throw error;
                console.warn('live: snapshot of the jurisdiction failed', error);
                return null;
              })
            : null,
        ]);
        if (generation !== this.generation) return;
        this.seen = new RecentIds(SEEN_LIMIT);
        for (const event of snapshot.recent ?? []) if (isFeedEvent(event)) this.seen.add(event.id);
        this.received = [];
        this.cursor = snapshot.cursor;
        this.viewCursor = snapshot.cursor;
        const outside = jurisdiction?.unacknowledged?.filter(isFeedEvent);
        this.setState({
          ...withSnapshot(this.state, snapshot, [], outside),
          connection: 'resyncing',
        });
        break;
      } catch (error) {
        if (generation !== this.generation) return;
        if (isUnauthorized(error)) {
          this.unauthorized();
          return;
        }
        console.warn('live: snapshot failed, retrying', error);
        this.setConnection('offline');
        await sleep(backoff(attempt), abort.signal);
        if (generation !== this.generation) return;
      }
    }
    this.syncing = false;
    // The server could not fill the gap: REST data kept since (map points, figures) is reloaded.
    if (!first) this.refreshQueries(true);
    this.connect();
  }

  /** A drill-down: the new unit's snapshot, merged with what arrived after its cursor. */
  private async loadView(): Promise<void> {
    const generation = ++this.viewGeneration;
    this.viewAbort?.abort();
    const abort = new AbortController();
    this.viewAbort = abort;
    for (let attempt = 0; ; attempt += 1) {
      const unit = this.unit;
      try {
        const snapshot = await this.loadSnapshot(unit, abort.signal);
        if (generation !== this.viewGeneration) return;
        this.viewCursor = snapshot.cursor;
        this.setState(withSnapshot(this.state, snapshot, this.received));
        return;
      } catch (error) {
        if (generation !== this.viewGeneration) return;
        if (isUnauthorized(error)) {
          this.unauthorized();
          return;
        }
        if (isPermanent(error)) {
          console.error('live: snapshot of unit refused', unit, error);
          return;
        }
        console.warn('live: snapshot of unit failed, retrying', error);
        await sleep(backoff(attempt), abort.signal);
        if (generation !== this.viewGeneration) return;
      }
    }
  }

  private readonly checkDay = (): void => {
    const day = this.state.countersDay;
    if (!day || this.syncing) return;
    const today = dayKey(Date.now());
    if (today === day || this.dayResyncedFor === today) return;
    // The daily counters belong to a day that has ended: reload them rather than keep counting.
    this.dayResyncedFor = today;
    void this.resync();
  };

  /** Children figures and the trend follow live events, refetched at most every 10 s. */
  private refreshQueries(everything = false): void {
    const { queryClient, username } = this.options;
    if (!queryClient) return;
    if (everything) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.mapPointsAll(username) });
    }
    if (this.refreshTimer !== undefined && !everything) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(
      () => {
        this.refreshTimer = undefined;
        if (this.stopped) return;
        void queryClient.invalidateQueries({ queryKey: queryKeys.childrenAll(username) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.trendAll(username) });
      },
      everything ? 0 : REFRESH_FIGURES_MS,
    );
  }

  // ---- socket ------------------------------------------------------------------------------

  private handshakeAuth(): LiveHandshakeAuth {
    return this.cursor
      ? { token: this.options.token, since: this.cursor }
      : { token: this.options.token };
  }

  private connect(): void {
    if (this.stopped) return;
    if (!this.socket) this.socket = this.createSocket();
    this.socket.connect();
  }

  private createSocket(): LiveSocket {
    const socket: LiveSocket = io(LIVE_NAMESPACE, {
      path: '/socket.io',
      autoConnect: false,
      // A fresh manager per client: a previous session's socket is never reused.
      forceNew: true,
      // No sticky sessions needed between several api instances.
      transports: ['websocket'],
      reconnectionDelay: RETRY_BASE_MS,
      reconnectionDelayMax: 5_000,
      // Called for every connection attempt, automatic reconnects included, so the server
      // always backfills from the newest cursor this console holds.
      auth: (send) => send(this.handshakeAuth()),
    });

    socket.on(LIVE_EVENTS.batch, this.onBatch);
    socket.on(LIVE_EVENTS.resync, this.onResync);
    socket.on(LIVE_EVENTS.ready, this.onReady);
    socket.on('disconnect', this.onDisconnect);
    socket.on('connect_error', this.onConnectError);
    return socket;
  }

  private readonly onBatch = (batch: LiveBatch): void => {
    const events = Array.isArray(batch?.events) ? batch.events.filter(isFeedEvent) : [];
    // Stream order: the last cursor is where to resume. Taken even from a duplicate, which
    // may be the same event re-published further along the stream.
    for (const event of events) {
      if (typeof event.cursor === 'string' && event.cursor) this.cursor = event.cursor;
    }
    const fresh = events.filter((event) => this.seen.add(event.id));
    if (fresh.length === 0) return;
    const now = Date.now();
    for (const event of fresh) this.received.push({ event, receivedAt: now });
    if (this.received.length > RECENT_LIVE_LIMIT) {
      this.received.splice(0, this.received.length - RECENT_LIVE_LIMIT);
    }
    this.setState(withBatch(this.state, fresh, this.viewCursor, now), true);
    for (const listener of this.eventListeners) {
      try {
        listener(fresh);
      } catch (error) {
        console.error('live: an events listener failed', error);
      }
    }
    if (fresh.some((event) => !event.drill)) this.refreshQueries();
  };

  private readonly onReady = (): void => {
    this.socketLive = true;
    this.retryAttempt = 0;
    this.setConnection(navigator.onLine === false ? 'offline' : 'live');
  };

  private readonly onResync = (resync: LiveResync): void => {
    console.warn('live: server asked for a resync', resync?.reason);
    void this.resync();
  };

  private readonly onDisconnect = (reason: Socket.DisconnectReason): void => {
    this.socketLive = false;
    if (reason === 'io client disconnect') return; // our own doing: resync or stop
    this.markDisconnected();
    // The server closed the socket; Socket.IO does not reconnect by itself in that case.
    if (reason === 'io server disconnect') this.scheduleReconnect();
  };

  private readonly onConnectError = (error: Error): void => {
    if (error.message === UNAUTHORIZED) {
      this.unauthorized();
      return;
    }
    this.markDisconnected();
    // Refused by a server middleware (not a network error): no automatic retry, so retry here.
    if (this.socket && !this.socket.active) this.scheduleReconnect();
  };

  private markDisconnected(): void {
    if (this.syncing) return;
    if (navigator.onLine === false || this.state.connection === 'offline') {
      this.setConnection('offline');
    } else {
      this.markReconnecting();
    }
  }

  /** Reconnecting, and offline if that lasts longer than OFFLINE_AFTER_MS. */
  private markReconnecting(): void {
    this.setConnection('reconnecting');
    if (this.offlineTimer !== undefined) return;
    this.offlineTimer = setTimeout(() => {
      this.offlineTimer = undefined;
      if (this.state.connection === 'reconnecting') this.setConnection('offline');
    }, OFFLINE_AFTER_MS);
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.syncing && this.socket && !this.socket.connected) this.socket.connect();
    }, backoff(this.retryAttempt++));
  }

  private readonly onBrowserOffline = (): void => {
    this.setConnection('offline');
  };

  private readonly onBrowserOnline = (): void => {
    if (this.socketLive && this.socket?.connected) this.setConnection('live');
    else if (!this.syncing) this.markReconnecting();
  };

  private unauthorized(): void {
    this.stop();
    this.options.onUnauthorized();
  }
}
