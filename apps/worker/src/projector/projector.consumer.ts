import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { ConsumerBatch, EventConsumer, type Redis, REDIS, STREAM_KEYS, StreamConsumer, StreamKeys } from '@frontline/spine';
import { ProjectionCursorsRepository } from './projection-cursors.repository';
import { applyUnitCounters } from './unit-counters.projector';
import { applyUrgentReports } from './urgent-reports.projector';

const GROUP = 'projector';

/**
 * The projector consumer group: applies the counters and the urgent reports of each batch and
 * moves the projection cursor (the position the snapshot is consistent with) forward, in the
 * transaction that records the batch's receipts.
 */
@Injectable()
@StreamConsumer(GROUP)
export class ProjectorConsumer implements EventConsumer {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cursors: ProjectionCursorsRepository,
  ) {}

  async apply(em: EntityManager, { events, lastStreamId }: ConsumerBatch): Promise<void> {
    const epoch = (await this.redis.get(this.keys.epoch)) ?? '';
    const [ms, seq] = lastStreamId.split('-');
    await applyUnitCounters(em, events, this.config.FRONTLINE_TIMEZONE);
    await applyUrgentReports(em, events);
    await this.cursors.advance(em, GROUP, { epoch, ms, seq });
  }
}
