import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Redis } from 'ioredis';
import type { StoredEvent } from '@frontline/contracts';
import type { StreamKeys } from './stream-keys';

export function newEpoch(): string {
  return randomBytes(4).toString('hex');
}

/** Stream entry fields: the event id (for reading the stream by eye) and the event as JSON. */
export function streamFields(event: StoredEvent): string[] {
  return ['id', event.id, 'e', JSON.stringify(event)];
}

/**
 * Publishes committed events to the Redis stream (pipelined XADD, approximate MAXLEN trim) and
 * takes them out of the outbox. If Redis is away they simply stay in the outbox: the relay retries.
 */
export class StreamPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly dataSource: DataSource,
    private readonly keys: StreamKeys,
    private readonly maxLen: number,
  ) {}

  /** XADDs the events in order, atomically; throws when Redis refuses. Does not touch PostgreSQL. */
  async xadd(events: StoredEvent[]): Promise<void> {
    if (!events.length) return;
    // One MULTI: stream readers (the api's tail) wake once for the whole batch, not after its
    // first entry and then again for the rest.
    const pipeline = this.redis.multi();
    // Creates the epoch with the stream; after a Redis data loss a new epoch appears here.
    pipeline.set(this.keys.epoch, newEpoch(), 'NX');
    for (const event of events) {
      pipeline.xadd(this.keys.events, 'MAXLEN', '~', this.maxLen, '*', ...streamFields(event));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  /**
   * Takes XADDed events out of the outbox: a narrow table, so this costs a fraction of updating
   * the event rows. Losing it (a crash right after the XADD) only means the relay publishes them
   * again, which consumers and consoles drop by event id.
   */
  async markPublished(seqs: number[], manager: EntityManager | DataSource = this.dataSource): Promise<void> {
    if (!seqs.length) return;
    await manager.query('DELETE FROM event_outbox WHERE seq = ANY($1::bigint[])', [seqs]);
  }

  /** Fast path after a commit. Returns false (and leaves the outbox to the relay) on failure. */
  async publish(events: StoredEvent[]): Promise<boolean> {
    if (!events.length) return true;
    try {
      await this.xadd(events);
    } catch {
      return false;
    }
    await this.markPublished(events.map((e) => e.seq));
    return true;
  }
}
