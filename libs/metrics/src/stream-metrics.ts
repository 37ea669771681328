import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { CONSUMER_GROUPS, readConsumerGroups, type Redis, REDIS, STREAM_KEYS, type StreamKeys } from '@frontline/spine';
import { MetricsRegistry } from './metrics-registry';
import { SCRAPE_TIMEOUT_MS, sharedRead } from './scrape';

interface StreamState {
  length: number;
  groups: Map<string, { lag: number; pending: number }>;
}

/**
 * The event stream's length and, for every registered consumer group, how far behind it is:
 * read from Redis when Prometheus scrapes (XLEN, XINFO GROUPS), within a short timeout. While
 * Redis does not answer the series are absent rather than stale.
 */
@Injectable()
export class StreamMetrics {
  constructor(
    metrics: MetricsRegistry,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
  ) {
    const read = sharedRead(() => this.readStream(), SCRAPE_TIMEOUT_MS);
    const registers = [metrics.registry];
    new Gauge({
      name: 'frontline_stream_length',
      help: 'Entries in the event stream (trimmed to about STREAM_MAXLEN), by its Redis key.',
      // Labelled so that it can be absent: prom-client shows an unlabelled gauge as 0 once reset.
      labelNames: ['stream'],
      registers,
      async collect() {
        this.reset();
        const state = await read().catch(() => null);
        if (state) this.set({ stream: keys.events }, state.length);
      },
    });
    const perGroup = (name: string, help: string, field: 'lag' | 'pending') =>
      new Gauge({
        name,
        help,
        labelNames: ['group'],
        registers,
        async collect() {
          this.reset();
          const state = await read().catch(() => null);
          for (const [group, values] of state?.groups ?? []) this.set({ group }, values[field]);
        },
      });
    perGroup(
      'frontline_consumer_group_lag',
      'Entries of the event stream not yet delivered to the consumer group (NaN when Redis cannot tell, after deletions).',
      'lag',
    );
    perGroup('frontline_consumer_group_pending', 'Entries delivered to the consumer group and not yet acknowledged.', 'pending');
  }

  private async readStream(): Promise<StreamState> {
    const stream = this.keys.events;
    const [length, known] = await Promise.all([
      this.redis.xlen(stream),
      // No stream yet (nothing published since Redis started): no group either.
      readConsumerGroups(this.redis, stream).catch((err: Error) => {
        if (/no such key/i.test(err.message)) return [];
        throw err;
      }),
    ]);
    const groups = new Map<string, { lag: number; pending: number }>();
    for (const group of CONSUMER_GROUPS) {
      const info = known.find((g) => g.group === group);
      // A group not created yet will be created at the stream's start: every entry is ahead of it.
      groups.set(group, info ? { lag: info.lag ?? Number.NaN, pending: info.pending } : { lag: length, pending: 0 });
    }
    return { length, groups };
  }
}
