import { io, Socket } from 'socket.io-client';
import type { LiveBatch, LiveEvent, LiveResync } from '@frontline/contracts';
import { waitFor } from './wait';

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
    return this.events.filter((e) => !e.type.startsWith('task.'));
  }

  postedIds(): string[] {
    return this.posted().map((e) => e.id);
  }
}
