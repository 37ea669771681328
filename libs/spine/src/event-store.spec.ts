import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { EventStore } from './event-store';
import { ScratchDatabase } from '@frontline/database/testing';

describe('EventStore.append joining the caller transaction (real PostgreSQL)', () => {
  const scratch = new ScratchDatabase('fl_eventstore');
  let ds: DataSource;
  let store: EventStore;
  let unit: { code: string; path: string[] };

  const item = (id: string) => ({
    input: {
      id,
      type: 'report.acknowledged' as const,
      unit: unit.code,
      occurredAt: new Date().toISOString(),
      payload: { reportId: randomUUID() },
    },
    unitPath: unit.path,
  });
  const logged = async (id: string) =>
    Number(
      (
        (await ds.query(`SELECT count(*) AS n FROM event_log WHERE id = $1`, [id])) as {
          n: string;
        }[]
      )[0].n,
    );

  beforeAll(async () => {
    await scratch.create();
    ds = await createDataSource(scratch.url, 2).initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    store = new EventStore(ds);
    [unit] = (await ds.query(
      `SELECT code, path FROM admin_units WHERE parent_code IS NULL`,
    )) as (typeof unit)[];
  });

  afterAll(async () => {
    await ds?.destroy();
    await scratch.drop();
  });

  it('commits with the caller and rolls back with the caller', async () => {
    const kept = randomUUID();
    await ds.transaction(async (em) => {
      const result = await store.append([item(kept)], 'test', em);
      expect(result.created.map((e) => e.id)).toEqual([kept]);
    });
    expect(await logged(kept)).toBe(1);

    const dropped = randomUUID();
    await expect(
      ds.transaction(async (em) => {
        await store.append([item(dropped)], 'test', em);
        throw new Error('the domain write failed');
      }),
    ).rejects.toThrow('the domain write failed');
    expect(await logged(dropped)).toBe(0);
  });

  it('without a manager it is its own transaction, as before', async () => {
    const id = randomUUID();
    const result = await store.append([item(id)], 'test');
    expect(result.accepted).toEqual([{ id, seq: expect.any(Number) }]);
    expect(await logged(id)).toBe(1);
  });

  it('writes personal fields apart and an outbox entry per new event; a re-send writes neither again', async () => {
    const id = randomUUID();
    const report = {
      input: {
        id,
        type: 'report.received' as const,
        unit: unit.code,
        occurredAt: new Date().toISOString(),
        payload: { channel: 'hotline' as const, category: 'illegal-entry' as const, description: 'Báo tin', callerPhone: '0912 345 678' },
      },
      unitPath: unit.path,
    };
    const first = await store.append([report, item(randomUUID())], 'test');
    const again = await store.append([report], 'test');
    expect(again.accepted).toEqual([first.accepted[0]]);
    expect(first.created[0].payload).not.toHaveProperty('callerPhone');
    const rows = async (sql: string) => (await ds.query(sql, [id])) as Record<string, unknown>[];
    expect(await rows(`SELECT payload->>'callerPhone' AS phone FROM event_log WHERE id = $1`)).toEqual([{ phone: null }]);
    expect(await rows(`SELECT fields->>'callerPhone' AS phone FROM event_personal_data WHERE event_id = $1`)).toEqual([
      { phone: '0912 345 678' },
    ]);
    const outbox = (await ds.query(`SELECT seq::int AS seq FROM event_outbox WHERE seq = ANY($1::bigint[]) ORDER BY seq`, [
      first.accepted.map((a) => a.seq),
    ])) as { seq: number }[];
    expect(outbox.map((o) => o.seq)).toEqual(first.accepted.map((a) => a.seq));
  });
});
