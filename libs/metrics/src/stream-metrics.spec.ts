import { randomBytes } from 'node:crypto';
import { createRedis, type Redis, streamKeys } from '@frontline/spine';
import { MetricsRegistry } from './metrics-registry';
import { StreamMetrics } from './stream-metrics';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** The value of one series, written as in the exposition (`name{label="value"}`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('StreamMetrics', () => {
  const keys = streamKeys(`test:metrics:${randomBytes(4).toString('hex')}:`);
  let redis: Redis;

  beforeAll(async () => {
    redis = createRedis(REDIS_URL, 'metrics-spec');
    await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterAll(async () => {
    await redis.del(keys.events);
    redis.disconnect();
  });

  it('reads the stream length and, for every registered group, its lag and pending entries (real Redis)', async () => {
    for (let i = 0; i < 3; i++) await redis.xadd(keys.events, '*', 'n', String(i));
    await redis.xgroup('CREATE', keys.events, 'projector', '0');
    await redis.xreadgroup('GROUP', 'projector', 'spec', 'COUNT', 1, 'STREAMS', keys.events, '>');
    const metrics = new MetricsRegistry();
    new StreamMetrics(metrics, redis, keys);

    const { body } = await metrics.scrape();
    expect(sample(body, `frontline_stream_length{stream="${keys.events}"}`)).toBe(3);
    expect(sample(body, 'frontline_consumer_group_lag{group="projector"}')).toBe(2);
    expect(sample(body, 'frontline_consumer_group_pending{group="projector"}')).toBe(1);
    // Groups Redis does not hold yet will start at the stream's first entry.
    expect(sample(body, 'frontline_consumer_group_lag{group="case-rules"}')).toBe(3);
    expect(sample(body, 'frontline_consumer_group_lag{group="follow-up-jobs"}')).toBe(3);
  });

  it('a Redis that never answers leaves its series out; the scrape still answers', async () => {
    const never = () => new Promise<never>(() => undefined);
    const hung = { xlen: never, call: never } as unknown as Redis;
    const metrics = new MetricsRegistry();
    new StreamMetrics(metrics, hung, keys);

    const { body } = await metrics.scrape();
    expect(body).toContain('# TYPE frontline_stream_length gauge');
    expect(body).not.toContain('frontline_stream_length{');
    expect(body).not.toContain('frontline_consumer_group_lag{');
    // Present (the process's own series do not need Redis); its value is the CPU used since the
    // last collection, which the kernel's accounting may round to 0.
    expect(sample(body, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
  });
});
