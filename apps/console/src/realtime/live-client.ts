import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { LIVE_EVENTS, LIVE_NAMESPACE } from '@frontline/contracts';
import type {
  LiveBatch,
  LiveHandshakeAuth,
  LiveResync,
  SnapshotResponse,
} from '@frontline/contracts';
import { api, isUnauthorized } from '../api/client';
import { dayKey } from '../lib/time';
import {
  INITIAL_LIVE_STATE,
  RecentIds,
  SEEN_LIMIT,
  isFeedEvent,
  withBatch,
  withSnapshot,
} from './feed-state';
import type { ConnectionState, LiveState } from './feed-state';

/**
 * The console's one realtime module (architecture.md, "Console sync protocol"):
 *   1. load the snapshot of the user's unit, with the stream cursor it is consistent with;
 *   2. connect to /live with `since` = that cursor; the server backfills, then says `live`;
 *   3. append each `events` batch, dropping ids already seen, and keep the last cursor;
 *   4. on a lost link Socket.IO reconnects by itself; every attempt sends the last cursor;
 *   5. on `resync` (or a new day for the daily counters) go back to 1.
 * The screen always shows which of these states it is in (never silently stale).
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
/** How often to check whether the day (Asia/Ho_Chi_Minh) of the daily counters has passed. */
const DAY_CHECK_MS = 30_000;

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

export interface LiveClientOptions {
  token: string;
  /** The unit whose snapshot is shown (the user's home unit). */
  unit: string;
  /** The token was refused (REST 401 or socket `unauthorized`): the session is over. */
  onUnauthorized: () => void;
  /** Replaceable for tests; defaults to GET /api/v1/snapshot. */
  loadSnapshot?: (signal: AbortSignal) => Promise<SnapshotResponse>;
}

export class LiveClient {
  private state: LiveState = INITIAL_LIVE_STATE;
  private readonly listeners = new Set<() => void>();
  private readonly loadSnapshot: (signal: AbortSignal) => Promise<SnapshotResponse>;

  private socket: LiveSocket | null = null;
  /** Cursor of the last event received (or of the snapshot): where a reconnect resumes. */
  private cursor: string | null = null;
  private seen = new RecentIds(SEEN_LIMIT);
  /** True between the server's `live` and the next disconnect or resync. */
  private socketLive = false;

  /** Bumped by every (re)sync and by stop(): late answers of an older one are ignored. */
  private generation = 0;
  private syncing = false;
  private syncAbort: AbortController | null = null;
  private stopped = false;

  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryAttempt = 0;
  private dayTimer: ReturnType<typeof setInterval> | undefined;
  private dayResyncedFor: string | null = null;

  constructor(private readonly options: LiveClientOptions) {
    this.loadSnapshot =
      options.loadSnapshot ?? ((signal) => api.snapshot(options.token, options.unit, signal));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): LiveState => this.state;

  start(): void {
    window.addEventListener('online', this.onBrowserOnline);
    window.addEventListener('offline', this.onBrowserOffline);
    this.dayTimer = setInterval(this.checkDay, DAY_CHECK_MS);
    void this.resync();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.generation += 1;
    this.syncAbort?.abort();
    clearTimeout(this.offlineTimer);
    clearTimeout(this.retryTimer);
    clearInterval(this.dayTimer);
    window.removeEventListener('online', this.onBrowserOnline);
    window.removeEventListener('offline', this.onBrowserOffline);
    if (this.socket) {
      this.socket.removeAllListeners();
      this.socket.disconnect();
      this.socket = null;
    }
    this.listeners.clear();
  }

  // ---- state -------------------------------------------------------------------------------

  private setState(next: LiveState): void {
    if (next === this.state || this.stopped) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

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
    this.syncAbort?.abort();
    const abort = new AbortController();
    this.syncAbort = abort;
    this.syncing = true;
    this.socketLive = false;
    clearTimeout(this.retryTimer);
    this.socket?.disconnect();
    this.setConnection('resyncing');

    for (let attempt = 0; ; attempt += 1) {
      try {
        const snapshot = await this.loadSnapshot(abort.signal);
        if (generation !== this.generation) return;
        this.seen = new RecentIds(SEEN_LIMIT);
        this.cursor = snapshot.cursor;
        this.setState({
          ...withSnapshot(this.state, snapshot, this.seen),
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
    this.connect();
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
    this.setState(withBatch(this.state, events, this.seen, Date.now()));
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
