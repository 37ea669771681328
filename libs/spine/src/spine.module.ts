import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { createDataSource } from '@frontline/database';
import { createLogger, Logger } from '@frontline/logger';
import { createRedis } from './redis';
import { streamKeys, StreamKeys } from './stream-keys';
import { UnitDirectory } from './unit-directory';
import { EventStore } from './event-store';
import { StreamPublisher } from './stream-publisher';
import { UnitOfWork } from './unit-of-work';
import { SPINE_METRICS, SpineMetrics } from './spine-metrics';

/** Injection tokens for the spine's shared plumbing. */
export const LOGGER = Symbol('LOGGER');
export const REDIS = Symbol('REDIS');
export const STREAM_KEYS = Symbol('STREAM_KEYS');

async function waitForRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
}

@Injectable()
class SpineShutdown implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * PostgreSQL, Redis, the unit tree, the event store, the stream publisher and the unit of work
 * that ties them together: one instance of each per process, shared by the api and the worker.
 */
@Global()
@Module({
  providers: [
    {
      provide: LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Logger => createLogger(process.env.FRONTLINE_SERVICE ?? 'frontline', config.LOG_LEVEL),
    },
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) =>
        createDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE).initialize(),
    },
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const redis = createRedis(config.REDIS_URL, 'commands');
        redis.on('error', () => undefined); // reconnects by itself; readiness reports it
        await waitForRedis(redis);
        return redis;
      },
    },
    { provide: STREAM_KEYS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => streamKeys(c.REDIS_PREFIX) },
    {
      provide: UnitDirectory,
      inject: [DataSource],
      useFactory: async (ds: DataSource) => {
        const directory = new UnitDirectory(ds);
        await directory.load();
        return directory;
      },
    },
    { provide: EventStore, inject: [DataSource], useFactory: (ds: DataSource) => new EventStore(ds) },
    {
      provide: StreamPublisher,
      inject: [REDIS, DataSource, STREAM_KEYS, APP_CONFIG],
      useFactory: (redis: Redis, ds: DataSource, keys: StreamKeys, c: AppConfig) =>
        new StreamPublisher(redis, ds, keys, c.STREAM_MAXLEN),
    },
    {
      provide: UnitOfWork,
      inject: [DataSource, EventStore, StreamPublisher, LOGGER, { token: SPINE_METRICS, optional: true }],
      useFactory: (ds: DataSource, store: EventStore, publisher: StreamPublisher, logger: Logger, metrics?: SpineMetrics) =>
        new UnitOfWork(ds, store, publisher, logger, metrics),
    },
    SpineShutdown,
  ],
  exports: [LOGGER, DataSource, REDIS, STREAM_KEYS, UnitDirectory, EventStore, StreamPublisher, UnitOfWork],
})
export class SpineModule {}
