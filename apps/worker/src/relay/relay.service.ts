import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import {
  LOGGER,
  OutboxRelay,
  type Redis,
  REDIS,
  SPINE_METRICS,
  type SpineMetrics,
  STREAM_KEYS,
  StreamKeys,
  StreamPublisher,
} from '@frontline/spine';
import type { Logger } from '@frontline/logger';

/** Runs the outbox relay in the worker (several workers are safe: rows are locked SKIP LOCKED). */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay?: OutboxRelay;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly publisher: StreamPublisher,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SPINE_METRICS) private readonly metrics: SpineMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.relay = new OutboxRelay(
      this.dataSource,
      this.redis,
      this.publisher,
      this.keys,
      this.config.RELAY_GRACE_MS,
      this.logger,
      this.metrics,
    );
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
