import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import {
  ConsumerGroupRunner,
  LOGGER,
  REDIS,
  STREAM_KEYS,
  StreamEntry,
  StreamKeys,
  startEventStreamConsumer,
} from '@frontline/spine';
import type { Logger } from '@frontline/logger';
import { applyUnitCounters } from './unit-counters.projector';
import { applyUrgentReports } from './urgent-reports.projector';

const GROUP = 'projector';

/**
 * The projector consumer group. For each batch, in ONE transaction: record receipts (event ids
 * already applied are skipped: exactly-once effects over at-least-once delivery), apply the
 * counters and the urgent reports, and move the projection cursor forward. The entries are
 * XACKed after the commit.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private runner?: ConsumerGroupRunner;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.runner = startEventStreamConsumer(
      this.config,
      this.keys.events,
      GROUP,
      (entries) => this.apply(entries),
      this.logger,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  async apply(entries: StreamEntry[]): Promise<void> {
    const epoch = (await this.redis.get(this.keys.epoch)) ?? '';
    const last = entries[entries.length - 1].streamId;
    const [ms, seq] = last.split('-');
    await this.dataSource.transaction(async (em) => {
      const fresh: { event_id: string }[] = await em.query(
        `INSERT INTO consumer_receipts (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [GROUP, [...new Set(entries.map((e) => e.event.id))]],
      );
      const freshIds = new Set(fresh.map((r) => r.event_id));
      const events = entries.map((e) => e.event).filter((e) => freshIds.delete(e.id));
      await applyUnitCounters(em, events, this.config.FRONTLINE_TIMEZONE);
      await applyUrgentReports(em, events);
      await em.query(
        `INSERT INTO projection_cursors AS p (consumer, stream_epoch, stream_ms, stream_seq)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (consumer) DO UPDATE SET stream_epoch = EXCLUDED.stream_epoch,
           stream_ms = EXCLUDED.stream_ms, stream_seq = EXCLUDED.stream_seq, updated_at = now()
         WHERE p.stream_epoch <> EXCLUDED.stream_epoch
            OR (p.stream_ms, p.stream_seq) < (EXCLUDED.stream_ms, EXCLUDED.stream_seq)`,
        [GROUP, epoch, ms, seq],
      );
      if (events.length)
        this.logger.debug(
          { applied: events.length, skipped: entries.length - events.length },
          'projected',
        );
    });
  }
}
