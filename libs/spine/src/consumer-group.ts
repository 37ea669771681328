import type { Redis } from 'ioredis';
import type { Logger } from '@frontline/logger';
import { decodeEntries, StreamEntry } from './stream-entry';

export interface ConsumerGroupOptions {
  stream: string;
  group: string;
  consumer: string;
  /** Entries per read. */
  count?: number;
  blockMs?: number;
  /** Pending entries of other (dead) consumers idle this long are claimed. */
  claimIdleMs: number;
}

/**
 * Runs one consumer of a Redis Streams consumer group. The handler must commit its own effects
 * idempotently; the entries are acknowledged (XACK) only after it resolves, so a crash before
 * the commit leaves them pending, to be re-read by this consumer after a restart (same name)
 * or claimed by another one (XAUTOCLAIM).
 */
export class ConsumerGroupRunner {
  private stopped = false;
  private loop?: Promise<void>;
  private lastClaimAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: ConsumerGroupOptions,
    private readonly handler: (entries: StreamEntry[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.disconnect();
    await this.loop?.catch(() => undefined);
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.options.stream, this.options.group, '0', 'MKSTREAM');
      this.logger.info({ group: this.options.group }, 'consumer group created');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  private async run(): Promise<void> {
    const { stream, group, consumer } = this.options;
    const count = this.options.count ?? 1000;
    let readOwnPending = true;
    let groupReady = false;
    while (!this.stopped) {
      try {
        if (!groupReady) {
          await this.ensureGroup();
          groupReady = true;
        }
        if (readOwnPending) {
          // After a restart under the same name: what this consumer read but never acked.
          const pending = await this.redis.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            count,
            'STREAMS',
            stream,
            '0',
          );
          const entries = decodeEntries(firstStream(pending));
          if (entries.length) {
            await this.process(entries);
            continue;
          }
          readOwnPending = false;
        }
        if (Date.now() - this.lastClaimAt > this.options.claimIdleMs / 2) {
          this.lastClaimAt = Date.now();
          await this.claimStale(count);
        }
        const fresh = await this.redis.xreadgroup(
          'GROUP',
          group,
          consumer,
          'COUNT',
          count,
          'BLOCK',
          this.options.blockMs ?? 1000,
          'STREAMS',
          stream,
          '>',
        );
        const entries = decodeEntries(firstStream(fresh));
        if (entries.length) await this.process(entries);
      } catch (err) {
        if (this.stopped) return;
        const message = (err as Error).message;
        if (message.includes('NOGROUP')) {
          // The stream was lost (Redis restart without persistence): recreate and read it all.
          groupReady = false;
          readOwnPending = true;
          this.logger.warn({ group }, 'consumer group missing, recreating');
          continue;
        }
        this.logger.warn({ group, err: message }, 'consumer loop error, retrying');
        await sleep(500);
      }
    }
  }

  private async claimStale(count: number): Promise<void> {
    const { stream, group, consumer, claimIdleMs } = this.options;
    let cursor = '0-0';
    do {
      const reply = (await this.redis.xautoclaim(
        stream,
        group,
        consumer,
        claimIdleMs,
        cursor,
        'COUNT',
        count,
      )) as [string, [string, string[]][], string[]?];
      cursor = reply[0];
      const entries = decodeEntries(reply[1]);
      if (entries.length) {
        this.logger.info({ group, count: entries.length }, 'claimed stale entries');
        await this.process(entries);
      }
    } while (cursor !== '0-0' && !this.stopped);
  }

  private async process(entries: StreamEntry[]): Promise<void> {
    await this.handler(entries);
    await this.redis.xack(
      this.options.stream,
      this.options.group,
      ...entries.map((e) => e.streamId),
    );
  }
}

function firstStream(reply: unknown): [string, string[]][] {
  const streams = reply as [string, [string, string[]][]][] | null;
  return streams?.[0]?.[1] ?? [];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

