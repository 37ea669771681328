import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@frontline/config';

/** BullMQ's connection options from our REDIS_URL (BullMQ opens its own connections). */
export function bullConnection(redisUrl: string): { url: string; maxRetriesPerRequest: null } {
  // Workers block on Redis; BullMQ requires maxRetriesPerRequest null for them.
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/** Queue keys share the run's REDIS_PREFIX, so test runs and deployments never see each other's jobs. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/**
 * BullMQ for the whole process: one connection setting and key prefix from the configuration.
 * Feature modules register the queues they use with `BullModule.registerQueue({ name: QUEUES.x })`
 * and the worker adds `@Processor(QUEUES.x)` classes.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: bullConnection(config.REDIS_URL),
        prefix: bullPrefix(config.REDIS_PREFIX),
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
      }),
    }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
