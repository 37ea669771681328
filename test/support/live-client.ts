import { io, Socket } from 'socket.io-client';
import type { LiveBatch, LiveEvent, LiveResync } from '@frontline/contracts';
import { waitFor } from './wait';

/** Came in through the API, not added by the rules in answer (`task.*`). */
const isPosted = (e: LiveEvent): boolean => !e.type.startsWith('task.');

/** A console's socket for tests: records every event and resync it receives. */
export class LiveClient {
  readonly events: LiveEvent[] = [];
  readonly resyncs: LiveResync[] = [];
  socket!: Socket;
  liveSignals = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
  ) {}

  get lastCursor(): string | undefined {
    return this.events[this.events.length - 1]?.cursor;
  }

  async connect(since?: string): Promise<this> {
    this.socket = io(`${this.apiUrl}/live`, {
      auth: { token: this.token, ...(since ? { since } : {}) },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.socket.on('events', (batch: LiveBatch) => this.events.push(...batch.events));
    this.socket.on('resync', (r: LiveResync) => this.resyncs.push(r));
    this.socket.on('live', () => {
      this.liveSignals++;
    });
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (err) => reject(err));
    });
    const before = this.liveSignals;
    await waitFor('live signal', () => this.liveSignals > before || this.liveSignals > 0, 15_000, 20);
    return this;
  }

  /**
   * Waits for the event `id`. A socket gets its events in stream order, so once a sentinel posted
   * after everything else is here, all that was coming before it has come: what is missing now
   * will not arrive (no fixed sleep needed to prove it).
   */
  async waitForEvent(id: string, timeoutMs = 10_000): Promise<void> {
    await waitFor(`event ${id} at the socket`, () => this.events.some((e) => e.id === id), timeoutMs, 20);
  }

  /** The posted events (see `posted()`) received before the sentinel `id`, which must have arrived. */
  postedBefore(id: string): LiveEvent[] {
    const at = this.events.findIndex((e) => e.id === id);
    if (at < 0) throw new Error(`sentinel ${id} has not arrived`);
    return this.events.slice(0, at).filter(isPosted);
  }

  disconnect(): void {
    this.socket?.disconnect();
  }

  ids(): string[] {
    return this.events.map((e) => e.id);
  }

  /**
   * The events that came in through the API, without the ones the rules add in answer (every
   * registered F0 opens a tracing task: `task.created`).
   */
  posted(): LiveEvent[] {
    return this.events.filter(isPosted);
  }

  postedIds(): string[] {
    return this.posted().map((e) => e.id);
  }
}
