import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { StoredEvent } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { ConsumerGroupRunner } from './consumer-group';
import { CONSUMER_GROUPS, ConsumerGroupName } from './consumer-groups';
import { createRedis } from './redis';
import { LOGGER, STREAM_KEYS } from './spine.module';
import type { StreamEntry } from './stream-entry';
import type { StreamKeys } from './stream-keys';
import { UnitOfWork } from './unit-of-work';

/** One batch read by a consumer group. */
export interface ConsumerBatch {
  /** Events this group has not applied before, in stream order (redeliveries already dropped). */
  events: StoredEvent[];
  /** Stream id of the batch's last entry, applied or not. */
  lastStreamId: string;
}

/**
 * A consumer of the event stream. `apply` runs inside the unit of work that also records the
 * group's receipts: its writes, the receipts and the events it appends (`EventStore.append(…,
 * em)`) commit together, those events are published after the commit, and the entries are
 * acknowledged last. So each event is applied exactly once per group, whatever the redeliveries.
 */
export interface EventConsumer {
  apply(em: EntityManager, batch: ConsumerBatch): Promise<void>;
}

/** Marks a provider as the consumer of one registered group (`CONSUMER_GROUPS`). */
export const StreamConsumer = DiscoveryService.createDecorator<ConsumerGroupName>();

/**
 * Runs every `@StreamConsumer` provider of the application: one consumer-group reader each, on
 * its own blocking connection, with a stable consumer name (WORKER_ID, else the host's) so a
 * restarted worker re-reads its own pending entries; XAUTOCLAIM takes over a dead one's.
 */
@Injectable()
export class StreamConsumerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runners: ConsumerGroupRunner[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The consumers by group. Exactly one per registered group, else the worker refuses to start:
   * a group nobody consumes would never write receipts, and the relay would republish every
   * event after each Redis loss.
   */
  consumers(): Map<ConsumerGroupName, EventConsumer> {
    const found = new Map<ConsumerGroupName, EventConsumer>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: StreamConsumer.KEY })) {
      const group = this.discovery.getMetadataByDecorator(StreamConsumer, wrapper);
      if (!group || !CONSUMER_GROUPS.includes(group)) throw new Error(`unknown consumer group "${group}"`);
      if (found.has(group)) throw new Error(`two consumers of the group "${group}"`);
      found.set(group, wrapper.instance as EventConsumer);
    }
    const missing = CONSUMER_GROUPS.filter((g) => !found.has(g));
    if (missing.length) throw new Error(`no consumer for the group(s) ${missing.join(', ')}`);
    return found;
  }

  onApplicationBootstrap(): void {
    for (const [group, consumer] of this.consumers()) {
      const reader = createRedis(this.config.REDIS_URL, `${group}-reader`, 'blocking');
      reader.on('error', () => undefined); // reconnects by itself; the loop logs and retries
      const runner = new ConsumerGroupRunner(
        reader,
        {
          stream: this.keys.events,
          group,
          consumer: this.config.WORKER_ID ?? `${hostname()}-worker`,
          claimIdleMs: this.config.WORKER_CLAIM_IDLE_MS,
        },
        (entries) => this.applyBatch(group, consumer, entries),
        this.logger,
      );
      runner.start();
      this.runners.push(runner);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  /** Receipts for every entry, then the consumer's own writes, in one unit of work. */
  async applyBatch(group: ConsumerGroupName, consumer: EventConsumer, entries: StreamEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.unitOfWork.run(async (em) => {
      const fresh = (await em.query(
        `INSERT INTO consumer_receipts (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [group, [...new Set(entries.map((e) => e.event.id))]],
      )) as { event_id: string }[];
      const freshIds = new Set(fresh.map((r) => r.event_id));
      const events = entries.map((e) => e.event).filter((e) => freshIds.delete(e.id));
      await consumer.apply(em, { events, lastStreamId: entries[entries.length - 1].streamId });
      if (events.length) this.logger.debug({ group, applied: events.length, skipped: entries.length - events.length }, 'consumed');
    });
  }
}

/** The worker imports this module to run its `@StreamConsumer` providers. */
@Module({ imports: [DiscoveryModule], providers: [StreamConsumerHost], exports: [StreamConsumerHost] })
export class StreamConsumersModule {}
