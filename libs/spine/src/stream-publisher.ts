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
 * marks them published. If Redis is away the events simply stay unpublished: the relay retries.
 */
export class StreamPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly dataSource: DataSource,
    private readonly keys: StreamKeys,
    private readonly maxLen: number,
  ) {}

  /** XADDs the events in order; throws when Redis refuses. Does not touch PostgreSQL. */
  async xadd(events: StoredEvent[]): Promise<void> {
    if (!events.length) return;
    const pipeline = this.redis.pipeline();
    // Creates the epoch with the stream; after a Redis data loss a new epoch appears here.
    pipeline.set(this.keys.epoch, newEpoch(), 'NX');
    for (const event of events) {
      pipeline.xadd(this.keys.events, 'MAXLEN', '~', this.maxLen, '*', ...streamFields(event));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async markPublished(seqs: number[], manager: EntityManager | DataSource = this.dataSource): Promise<void> {
    if (!seqs.length) return;
    await manager.query('UPDATE event_log SET published_at = now() WHERE seq = ANY($1::bigint[])', [seqs]);
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
