import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@frontline/config';
import { bullPrefix, Queue, QUEUES } from '@frontline/queue';
import { type Redis, REDIS } from '@frontline/spine';
import { MetricsRegistry } from './metrics-registry';
import { SCRAPE_TIMEOUT_MS, sharedRead } from './scrape';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * BullMQ queues: how many jobs each holds per state, read when Prometheus scrapes (within a
 * short timeout; absent while Redis does not answer), and the failed attempts the worker's
 * processors report. The readers share the process's command connection: reading counts
 * blocks nothing, and it fails fast while Redis is away.
 */
@Injectable()
export class QueueMetrics implements OnApplicationShutdown {
  private readonly queues: Queue[];
  private readonly failures: Counter<'queue'>;

  constructor(metrics: MetricsRegistry, @Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    this.queues = Object.values(QUEUES).map((name) => {
      const queue = new Queue(name, { connection: redis, prefix: bullPrefix(config.REDIS_PREFIX) });
      queue.on('error', () => undefined); // the connection's errors; a scrape reports them as absent series
      return queue;
    });
    const read = sharedRead(() => this.readCounts(), SCRAPE_TIMEOUT_MS);
    new Gauge({
      name: 'frontline_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, failed).',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const counts = await read().catch(() => []);
        for (const { queue, state, n } of counts) this.set({ queue, state }, n);
      },
    });
    this.failures = new Counter({
      name: 'frontline_queue_job_failures_total',
      help: 'Failed attempts of BullMQ jobs (each retry that fails counts), by queue.',
      labelNames: ['queue'],
      registers: [metrics.registry],
    });
  }

  /** A processor's job attempt failed (the worker's `failed` event). */
  jobFailed(queue: string): void {
    this.failures.inc({ queue });
  }

  async onApplicationShutdown(): Promise<void> {
    // The connection is shared (spine's): closing a reader leaves it open.
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
  }

  private async readCounts(): Promise<{ queue: string; state: string; n: number }[]> {
    const perQueue = await Promise.all(
      this.queues.map(async (queue) => {
        const counts = await queue.getJobCounts(...STATES);
        return STATES.map((state) => ({ queue: queue.name, state, n: counts[state] ?? 0 }));
      }),
    );
    return perQueue.flat();
  }
}
