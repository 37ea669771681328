import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { LIVE_EVENTS, LIVE_NAMESPACE } from '@frontline/contracts';
import type { LiveBatch } from '@frontline/contracts';
import type { ConnectionState } from '../realtime/feed-state';

/**
 * The field page's link to /live. Unlike the console's LiveClient it loads no snapshot and
 * keeps no feed: REST (`GET /dispatch/tasks`) is the truth, and the socket only says "a task
 * changed, read again" (and "you are connected again", after which the list is read again
 * too, so nothing missed while away matters). That keeps a cheap phone on 3G light.
 */

const UNAUTHORIZED = 'unauthorized';
const OFFLINE_AFTER_MS = 10_000;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface FieldLiveOptions {
  token: string;
  /** Task events arrived (ids of the tasks they name), or the link is back: read the list. */
  onTasksChanged: (taskIds: readonly string[]) => void;
  onState: (state: ConnectionState) => void;
  onUnauthorized: () => void;
}

export class FieldLive {
  private socket: Socket | null = null;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private state: ConnectionState = 'reconnecting';

  constructor(private readonly options: FieldLiveOptions) {}

  start(): void {
    const socket = io(LIVE_NAMESPACE, {
      path: '/socket.io',
      forceNew: true,
      transports: ['websocket'],
      reconnectionDelay: RETRY_BASE_MS,
      reconnectionDelayMax: 5_000,
      auth: { token: this.options.token },
    });
    socket.on(LIVE_EVENTS.ready, () => {
      this.attempt = 0;
      this.set(navigator.onLine === false ? 'offline' : 'live');
      this.options.onTasksChanged([]);
    });
    socket.on(LIVE_EVENTS.batch, (batch: LiveBatch) => {
      const ids = (Array.isArray(batch?.events) ? batch.events : []).flatMap((e) =>
        typeof e?.type === 'string' && e.type.startsWith('task.')
          ? [String((e.payload as { taskId?: unknown })?.taskId ?? '')]
          : [],
      );
      if (ids.length) this.options.onTasksChanged(ids);
    });
    // A server-initiated reset (resync): just read the list again.
    socket.on(LIVE_EVENTS.resync, () => this.options.onTasksChanged([]));
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      this.lost();
      if (reason === 'io server disconnect') this.reconnectLater();
    });
    socket.on('connect_error', (error: Error) => {
      if (error.message === UNAUTHORIZED) {
        this.stop();
        this.options.onUnauthorized();
        return;
      }
      this.lost();
      // Refused by a middleware: Socket.IO does not retry by itself.
      if (!socket.active) this.reconnectLater();
    });
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    this.socket = socket;
  }

  stop(): void {
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.offlineTimer);
    clearTimeout(this.retryTimer);
    this.socket?.disconnect();
    this.socket = null;
  }

  private readonly onOffline = (): void => this.set('offline');

  /** The device has a network again: trying (not offline) until the socket says otherwise. */
  private readonly onOnline = (): void => {
    if (this.socket?.connected) {
      this.set('live');
      return;
    }
    this.set('reconnecting');
    this.lost();
    if (this.socket && !this.socket.active) this.socket.connect();
  };

  private lost(): void {
    if (navigator.onLine === false) {
      this.set('offline');
      return;
    }
    if (this.state === 'offline') return;
    this.set('reconnecting');
    this.offlineTimer ??= setTimeout(() => {
      this.offlineTimer = undefined;
      if (this.state === 'reconnecting') this.set('offline');
    }, OFFLINE_AFTER_MS);
  }

  private reconnectLater(): void {
    clearTimeout(this.retryTimer);
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => this.socket?.connect(), delay / 2 + Math.random() * (delay / 2));
  }

  private set(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    if (state !== 'reconnecting') {
      clearTimeout(this.offlineTimer);
      this.offlineTimer = undefined;
    }
    this.options.onState(state);
  }
}
