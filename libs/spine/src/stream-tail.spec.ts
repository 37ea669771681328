import { randomBytes, randomUUID } from 'node:crypto';
import type { StoredEvent } from '@frontline/contracts';
import { createLogger } from '@frontline/logger';
import { createRedis, Redis } from './redis';
import { streamKeys } from './stream-keys';
import { streamFields } from './stream-publisher';
import { StreamTail } from './stream-tail';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** Long beside any scheduling delay: what arrives inside it can only come out at its end. */
const WINDOW_MS = 1500;

describe('StreamTail pushes (real Redis)', () => {
  const keys = streamKeys(`test:tail:${randomBytes(4).toString('hex')}:`);
  const logger = createLogger('tail-spec', 'silent');
  let redis: Redis;
  let reader: Redis;
  let tail: StreamTail;
  const batches: { ids: string[]; at: number }[] = [];

  const event = (seq: number): StoredEvent => ({
    id: randomUUID(),
    seq,
    type: 'report.acknowledged',
    unit: '22',
    unitPath: ['22'],
    occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(),
    actor: 'test',
    payload: { reportId: randomUUID() },
  });
  const xadd = async (...events: StoredEvent[]) => {
    const multi = redis.multi();
    for (const e of events) multi.xadd(keys.events, '*', ...streamFields(e));
    await multi.exec();
    return { ids: events.map((e) => e.id), at: performance.now() };
  };
  const nextBatch = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no batch ${count} within ${3 * WINDOW_MS} ms`)), 3 * WINDOW_MS);
      const check = setInterval(() => {
        if (batches.length < count) return;
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }, 5);
    });

  beforeAll(async () => {
    redis = createRedis(REDIS_URL, 'tail-spec');
    reader = createRedis(REDIS_URL, 'tail-spec-reader', 'blocking');
    await new Promise((resolve) => redis.once('ready', resolve));
    await xadd(event(0)); // the stream exists; the tail starts after this entry
    tail = new StreamTail(reader, redis, keys, WINDOW_MS, {
      onBatch: (entries) => batches.push({ ids: entries.map((e) => e.event.id), at: performance.now() }),
      onReset: () => undefined,
    }, logger);
    await tail.start();
  });

  afterAll(async () => {
    await tail?.stop();
    await redis?.del(keys.events);
    redis?.disconnect();
  });

  it('pushes at once after a quiet spell, and gathers what follows within the window into one batch', async () => {
    const first = await xadd(event(1), event(2));
    await nextBatch(1);
    // Leading edge: out well before the window would have ended.
    expect(batches[0].ids).toEqual(first.ids);
    expect(batches[0].at - first.at).toBeLessThan(WINDOW_MS / 2);

    const second = await xadd(event(3));
    const third = await xadd(event(4));
    await nextBatch(2);
    // Inside the window: both wait for its end and go out together.
    expect(batches[1].ids).toEqual([...second.ids, ...third.ids]);
    expect(batches[1].at - batches[0].at).toBeGreaterThanOrEqual(WINDOW_MS - 5);
    expect(tail.lastFlushedId).not.toBe('0-0');
  });
});
