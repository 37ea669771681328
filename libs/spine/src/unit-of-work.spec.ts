import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { ScratchDatabase } from '@frontline/database/testing';
import { createLogger } from '@frontline/logger';
import { CONSUMER_GROUPS } from './consumer-groups';
import { EventStore } from './event-store';
import { OutboxRelay } from './outbox-relay';
import { createRedis, Redis } from './redis';
import { decodeEntries } from './stream-entry';
import { streamKeys } from './stream-keys';
import { StreamPublisher } from './stream-publisher';
import { ConsumerBatch, StreamConsumerHost } from './stream-consumer';
import { UnitOfWork } from './unit-of-work';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

describe('UnitOfWork and the consumer host (real PostgreSQL and Redis)', () => {
  const scratch = new ScratchDatabase('fl_uow');
  const keys = streamKeys(`test:uow:${randomBytes(4).toString('hex')}:`);
  const logger = createLogger('uow-spec', 'silent');
  let ds: DataSource;
  let redis: Redis;
  let store: EventStore;
  let publisher: StreamPublisher;
  let uow: UnitOfWork;
  let unit: { code: string; path: string[] };

  const item = (id = randomUUID()) => ({
    input: {
      id,
      type: 'report.acknowledged' as const,
      unit: unit.code,
      occurredAt: new Date().toISOString(),
      payload: { reportId: randomUUID() },
    },
    unitPath: unit.path,
  });
  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await ds.query(sql, params)) as { n: string }[])[0].n);
  const streamIds = async () =>
    decodeEntries((await redis.xrange(keys.events, '-', '+')) as [string, string[]][]).map((e) => e.event.id);

  beforeAll(async () => {
    await scratch.create();
    ds = await createDataSource(scratch.url, 4).initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    redis = createRedis(REDIS_URL, 'uow-spec');
    await new Promise((resolve) => redis.once('ready', resolve));
    store = new EventStore(ds);
    publisher = new StreamPublisher(redis, ds, keys, 10_000);
    uow = new UnitOfWork(ds, store, publisher, logger);
    [unit] = (await ds.query(`SELECT code, path FROM admin_units WHERE parent_code IS NULL`)) as (typeof unit)[];
  });

  afterAll(async () => {
    await redis?.del(keys.events, keys.epoch);
    redis?.disconnect();
    await ds?.destroy();
    await scratch.drop();
  });

  it('commits the writes with their events, then publishes them (out of the outbox)', async () => {
    const id = randomUUID();
    const answer = await uow.run(async (em) => {
      await em.query(`INSERT INTO spine_state (key, value) VALUES ($1, 'x')`, [`uow:${id}`]);
      await store.append([item(id)], 'test', em);
      expect(await streamIds()).not.toContain(id); // nothing is published before the commit
      return 'done';
    });
    expect(answer).toBe('done');
    expect(await count(`SELECT count(*) AS n FROM spine_state WHERE key = $1`, [`uow:${id}`])).toBe(1);
    expect(await streamIds()).toContain(id);
    expect(await count(`SELECT count(*) AS n FROM event_log e JOIN event_outbox o USING (seq) WHERE e.id = $1`, [id])).toBe(0);
  });

  it('rolls back writes and events together: nothing logged, nothing published', async () => {
    const id = randomUUID();
    await expect(
      uow.run(async (em) => {
        await store.append([item(id)], 'test', em);
        throw new Error('the domain write failed');
      }),
    ).rejects.toThrow('the domain write failed');
    expect(await count(`SELECT count(*) AS n FROM event_log WHERE id = $1`, [id])).toBe(0);
    expect(await streamIds()).not.toContain(id);
  });

  it('append: an events-only command answers with seqs, and a re-sent id with the same seq', async () => {
    const id = randomUUID();
    const first = await uow.append([item(id)], 'test');
    const again = await uow.append([item(id)], 'test');
    expect(first.accepted).toEqual([{ id, seq: expect.any(Number) }]);
    expect(again.accepted).toEqual(first.accepted);
    expect(again.created).toEqual([]);
    expect((await streamIds()).filter((s) => s === id)).toHaveLength(1);
  });

  it('still commits when the stream refuses: the event waits for the relay', async () => {
    const broken = new UnitOfWork(ds, store, new StreamPublisher(redis, ds, { ...keys, events: keys.epoch }, 10_000), logger);
    await redis.set(keys.epoch, 'not-a-stream'); // XADD on a string key fails
    const id = randomUUID();
    await broken.append([item(id)], 'test');
    expect(await count(`SELECT count(*) AS n FROM event_log e JOIN event_outbox o USING (seq) WHERE e.id = $1`, [id])).toBe(1);
    await redis.del(keys.epoch);
    await new OutboxRelay(ds, redis, publisher, keys, 0, logger).runOnce();
    expect(await streamIds()).toContain(id);
  });

  describe('StreamConsumerHost.applyBatch', () => {
    const seen: string[][] = [];
    const host = () =>
      new StreamConsumerHost({} as never, uow, keys, {} as never, logger);
    const entry = (event: { id: string }, n: number) => ({ streamId: `${n}-0`, event: event as never });

    it('writes a receipt for every entry, applies each event once, publishes what the consumer appends', async () => {
      const [a, b] = (await uow.append([item(), item()], 'test')).created;
      const follow = randomUUID();
      const consumer = {
        apply: async (em: never, batch: ConsumerBatch) => {
          seen.push(batch.events.map((e) => e.id));
          if (batch.events.some((e) => e.id === a.id)) await store.append([item(follow)], 'system:test', em);
        },
      };
      await host().applyBatch('case-rules', consumer, [entry(a, 1), entry(b, 2), entry(a, 3)]);
      await host().applyBatch('case-rules', consumer, [entry(a, 4), entry(b, 5)]); // redelivered
      expect(seen).toEqual([[a.id, b.id], []]);
      expect(
        await count(`SELECT count(*) AS n FROM consumer_receipts WHERE consumer = 'case-rules' AND event_id = ANY($1)`, [[a.id, b.id]]),
      ).toBe(2);
      expect(await streamIds()).toContain(follow);
    });

    it('a consumer that fails leaves no receipt, so the entries are applied when read again', async () => {
      const [c] = (await uow.append([item()], 'test')).created;
      const failing = { apply: async () => Promise.reject(new Error('consumer failed')) };
      await expect(host().applyBatch('case-rules', failing, [entry(c, 1)])).rejects.toThrow('consumer failed');
      expect(await count(`SELECT count(*) AS n FROM consumer_receipts WHERE event_id = $1`, [c.id])).toBe(0);
    });
  });

  it('after a Redis loss the relay republishes what ANY registered group has not applied', async () => {
    expect(CONSUMER_GROUPS).toEqual(expect.arrayContaining(['projector', 'case-rules']));
    const relay = new OutboxRelay(ds, redis, publisher, keys, 0, logger);
    await relay.runOnce(); // records the current epoch
    const [all, partial] = (await uow.append([item(), item()], 'test')).created;
    await ds.query(
      `INSERT INTO consumer_receipts (consumer, event_id) SELECT g, e FROM unnest($1::text[]) g, unnest($2::uuid[]) e`,
      [CONSUMER_GROUPS, [all.id]],
    );
    await ds.query(`INSERT INTO consumer_receipts (consumer, event_id) VALUES ('projector', $1)`, [partial.id]);

    await redis.del(keys.events, keys.epoch); // Redis lost everything
    await relay.runOnce();
    const republished = await streamIds();
    expect(republished).toContain(partial.id);
    expect(republished).not.toContain(all.id);
  });
});
