import type { Redis } from 'ioredis';
import type { Logger } from '@frontline/logger';
import { compareStreamIds } from './cursor';
import { decodeEntries, StreamEntry } from './stream-entry';
import type { StreamKeys } from './stream-keys';

export interface TailListener {
  /** A batch of new entries, in stream order; batches are at least `batchMs` apart. */
  onBatch(entries: StreamEntry[]): void;
  /** The stream was reset (new epoch): clients must resync. */
  onReset(epoch: string): void;
}

const RECENT_IDS = 100_000;
const EPOCH_CHECK_MS = 500;

/**
 * Tails the event stream for one api instance (XREAD BLOCK on a dedicated connection) and hands
 * entries to the live gateway. Leading edge: what arrives when the last batch is at least
 * `batchMs` old goes out at once; what arrives sooner waits for the end of that window and goes
 * out with everything else read by then. So a quiet stream costs no latency, and a busy one is
 * conflated into at most one batch per window. Events republished by the relay are dropped if
 * this instance already pushed them (bounded set of recent event ids).
 */
export class StreamTail {
  private lastReadId = '0-0';
  /** Every entry up to this id has been handed to the listener. */
  private flushedId = '0-0';
  private buffer: StreamEntry[] = [];
  private recent = new Set<string>();
  /** Ring of the ids in `recent`, oldest at `ringNext` once full: O(1) per event. */
  private ring: (string | undefined)[] = new Array(RECENT_IDS);
  private ringNext = 0;
  private epochValue: string | null = null;
  private lastEpochCheck = 0;
  private stopped = false;
  private loop?: Promise<void>;
  /** When the last batch went out (performance.now()); the next one waits until batchMs after it. */
  private lastPushAt = -Infinity;
  /** The push at the end of the current window, when entries are waiting for it. */
  private pushTimer?: NodeJS.Timeout;

  constructor(
    private readonly reader: Redis,
    private readonly commands: Redis,
    private readonly keys: StreamKeys,
    private readonly batchMs: number,
    private readonly listener: TailListener,
    private readonly logger: Logger,
  ) {}

  get epoch(): string | null {
    return this.epochValue;
  }

  get lastFlushedId(): string {
    return this.flushedId;
  }

  async start(): Promise<void> {
    this.epochValue = await this.commands.get(this.keys.epoch);
    const last = (await this.commands.xrevrange(this.keys.events, '+', '-', 'COUNT', 1)) as [string, string[]][];
    this.lastReadId = last[0]?.[0] ?? '0-0';
    this.flushedId = this.lastReadId;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pushTimer);
    this.reader.disconnect();
    await this.loop?.catch(() => undefined);
  }

  /** Entries after `afterId` up to `toId` inclusive, in order, at most `limit` (+1 to detect overflow). */
  async range(afterId: string, toId: string, limit: number): Promise<StreamEntry[]> {
    const out: StreamEntry[] = [];
    let from = `(${afterId}`;
    while (out.length <= limit) {
      const page = (await this.commands.xrange(this.keys.events, from, toId, 'COUNT', 1000)) as [string, string[]][];
      if (!page.length) break;
      out.push(...decodeEntries(page));
      from = `(${page[page.length - 1][0]}`;
      if (page.length < 1000) break;
    }
    return out;
  }

  /** Whether everything after `afterId` is still in the stream (not trimmed away). */
  async canBackfillFrom(afterId: string): Promise<'ok' | 'trimmed' | 'unknown'> {
    const info = (await this.commands.call('XINFO', 'STREAM', this.keys.events)) as unknown[];
    const fields = new Map<string, unknown>();
    for (let i = 0; i < info.length; i += 2) fields.set(String(info[i]), info[i + 1]);
    const lastGenerated = String(fields.get('last-generated-id') ?? '0-0');
    if (compareStreamIds(afterId, lastGenerated) > 0) return 'unknown';
    const maxDeleted = String(fields.get('max-deleted-entry-id') ?? '0-0');
    if (compareStreamIds(afterId, maxDeleted) < 0) return 'trimmed';
    const first = fields.get('first-entry') as [string, string[]] | null;
    const length = Number(fields.get('length') ?? 0);
    const added = Number(fields.get('entries-added') ?? length);
    if (first && added > length && compareStreamIds(afterId, first[0]) < 0) return 'trimmed';
    return 'ok';
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.checkEpoch();
        const reply = (await this.reader.xread(
          'COUNT', 2000, 'BLOCK', 1000, 'STREAMS', this.keys.events, this.lastReadId,
        )) as [string, [string, string[]][]][] | null;
        const raw = reply?.[0]?.[1] ?? [];
        if (!raw.length) continue;
        this.lastReadId = raw[raw.length - 1][0];
        for (const entry of decodeEntries(raw)) {
          if (this.remember(entry.event.id)) this.buffer.push(entry);
        }
        this.schedulePush();
      } catch (err) {
        if (this.stopped) return;
        this.logger.warn({ err: (err as Error).message }, 'stream tail error, retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async checkEpoch(): Promise<void> {
    if (Date.now() - this.lastEpochCheck < EPOCH_CHECK_MS) return;
    this.lastEpochCheck = Date.now();
    const epoch = await this.commands.get(this.keys.epoch);
    if (epoch === this.epochValue || epoch === null) return;
    const hadEpoch = this.epochValue !== null;
    this.epochValue = epoch;
    if (!hadEpoch) return;
    // A new stream: read it from the start (already-pushed events are dropped by id).
    this.logger.warn({ epoch }, 'event stream reset detected; asking consoles to resync');
    this.flush();
    this.lastReadId = '0-0';
    this.flushedId = '0-0';
    this.listener.onReset(epoch);
  }

  private remember(id: string): boolean {
    if (this.recent.has(id)) return false;
    const evicted = this.ring[this.ringNext];
    if (evicted !== undefined) this.recent.delete(evicted);
    this.ring[this.ringNext] = id;
    this.ringNext = (this.ringNext + 1) % RECENT_IDS;
    this.recent.add(id);
    return true;
  }

  /** Pushes at once when the window is over (or the buffer is large), else once it is. */
  private schedulePush(): void {
    const wait = this.lastPushAt + this.batchMs - performance.now();
    if (!this.buffer.length || wait <= 0 || this.buffer.length >= 5000) {
      this.flush();
      return;
    }
    this.pushTimer ??= setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    clearTimeout(this.pushTimer);
    this.pushTimer = undefined;
    if (!this.buffer.length) {
      this.flushedId = this.lastReadId;
      return;
    }
    const batch = this.buffer;
    this.buffer = [];
    this.flushedId = this.lastReadId;
    this.lastPushAt = performance.now();
    try {
      this.listener.onBatch(batch);
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'live batch delivery failed');
    }
  }
}
