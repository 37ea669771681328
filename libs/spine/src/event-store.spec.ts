import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { EventStore } from './event-store';

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/frontline';
const urlFor = (database: string) => {
  const url = new URL(BASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
};

describe('EventStore.append joining the caller transaction (real PostgreSQL)', () => {
  const database = `fl_eventstore_${randomBytes(4).toString('hex')}`;
  let admin: Client;
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
    admin = new Client({ connectionString: urlFor('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    ds = await createDataSource(urlFor(database), 2).initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    store = new EventStore(ds);
    [unit] = (await ds.query(
      `SELECT code, path FROM admin_units WHERE parent_code IS NULL`,
    )) as (typeof unit)[];
  });

  afterAll(async () => {
    await ds?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
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
});
