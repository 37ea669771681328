import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { Logger } from '@frontline/logger';
import { newEpoch, StreamPublisher } from './stream-publisher';
import { CONSUMER_GROUPS } from './consumer-groups';
import type { SpineMetrics } from './spine-metrics';
import type { StreamKeys } from './stream-keys';
import { rowToStoredEvent, STORED_EVENT_COLUMNS, StoredEventRow } from './stored-event-row';

const BATCH = 1000;
const EPOCH_STATE_KEY = 'stream_epoch';

/**
 * The outbox relay: publishes whatever was committed but is not in the stream yet (the api's
 * fast path failed or the api died between commit and XADD). When the stream's epoch changed
 * (Redis lost its data) it first puts every event some consumer group has not applied back in
 * the outbox, so the projections are rebuilt exactly (consumers are idempotent).
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: Redis,
    private readonly publisher: StreamPublisher,
    private readonly keys: StreamKeys,
    private readonly graceMs: number,
    private readonly logger: Logger,
    private readonly metrics?: SpineMetrics,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn({ err: err.message }, 'outbox relay pass failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: epoch check, then publish pending events until none are left. */
  async runOnce(): Promise<number> {
    await this.checkEpoch();
    let total = 0;
    for (;;) {
      const n = await this.relayBatch();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async checkEpoch(): Promise<void> {
    await this.redis.set(this.keys.epoch, newEpoch(), 'NX');
    const epoch = await this.redis.get(this.keys.epoch);
    if (!epoch) return;
    await this.dataSource.transaction(async (em) => {
      const rows: { value: string }[] = await em.query(
        'SELECT value FROM spine_state WHERE key = $1 FOR UPDATE',
        [EPOCH_STATE_KEY],
      );
      const known = rows[0]?.value;
      if (known === epoch) return;
      if (known !== undefined) {
        const [{ n }]: { n: string }[] = await em.query(
          `WITH added AS (
             INSERT INTO event_outbox (seq)
               SELECT e.seq FROM event_log e
               WHERE (SELECT count(*) FROM consumer_receipts r
                      WHERE r.event_id = e.id AND r.consumer = ANY($1::text[])) < $2
             ON CONFLICT (seq) DO NOTHING
             RETURNING seq
           ) SELECT count(*) AS n FROM added`,
          [CONSUMER_GROUPS, CONSUMER_GROUPS.length],
        );
        const republish = Number(n);
        this.metrics?.eventsRepublished(republish);
        this.logger.warn(
          { previousEpoch: known, epoch, republish },
          'event stream was reset (Redis lost its data): republishing events not yet projected',
        );
      }
      await em.query(
        `INSERT INTO spine_state (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [EPOCH_STATE_KEY, epoch],
      );
    });
  }

  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      // Locks the outbox entries, not the events: the fast path's DELETE of an entry taken here
      // waits for this pass, then finds nothing to delete.
      const rows: StoredEventRow[] = await em.query(
        `WITH due AS (
           SELECT o.seq FROM event_outbox o JOIN event_log e ON e.seq = o.seq
           WHERE e.recorded_at < now() - make_interval(secs => $1::float8 / 1000)
           ORDER BY o.seq LIMIT ${BATCH} FOR UPDATE OF o SKIP LOCKED
         )
         SELECT ${STORED_EVENT_COLUMNS} FROM event_log WHERE seq IN (SELECT seq FROM due) ORDER BY seq`,
        [this.graceMs],
      );
      if (!rows.length) return 0;
      const events = rows.map(rowToStoredEvent);
      await this.publisher.xadd(events);
      await this.publisher.markPublished(
        events.map((e) => e.seq),
        em,
      );
      this.logger.info({ count: events.length, firstSeq: events[0].seq }, 'relay published pending events');
      return events.length;
    });
  }
}
