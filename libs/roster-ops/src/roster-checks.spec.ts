import type { DataSource } from 'typeorm';
import type { StoredEvent } from '@frontline/contracts';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { createLogger } from '@frontline/logger';
import { EventStore, StreamPublisher, UnitOfWork } from '@frontline/spine';
import { HOUR_MS, localDateTimeOf } from '@frontline/roster';
import { RosterChecks } from './roster-checks';
import { ScratchDatabase } from '@frontline/database/testing';

/** Publishing is not under test here (the event log is): collects what would be XADDed. */
class CollectingPublisher {
  readonly published: StoredEvent[] = [];
  publish(events: StoredEvent[]): Promise<boolean> {
    this.published.push(...events);
    return Promise.resolve(true);
  }
}

describe('RosterChecks: coverage gaps reconciled with coverage_gaps (real PostgreSQL)', () => {
  const scratch = new ScratchDatabase('fl_rosterops');
  let ds: DataSource;
  let checks: RosterChecks;
  let publisher: CollectingPublisher;
  let centerId: string;
  let staffId: string;
  const t0 = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;

  const events = async (type: string) =>
    (await ds.query(`SELECT payload FROM event_log WHERE type = $1 ORDER BY seq`, [type])) as {
      payload: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    await scratch.create();
    ds = await createDataSource(scratch.url, 2).initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    publisher = new CollectingPublisher();
    const store = new EventStore(ds);
    const unitOfWork = new UnitOfWork(ds, store, publisher as unknown as StreamPublisher, createLogger('spec', 'silent'));
    checks = new RosterChecks(ds, store, unitOfWork);
    const [unit] = (await ds.query(`SELECT code FROM admin_units WHERE parent_code IS NULL`)) as {
      code: string;
    }[];
    [{ id: centerId }] = (await ds.query(
      `INSERT INTO command_centers (unit_code, name) VALUES ($1, 'Tổ thử') RETURNING id`,
      [unit.code],
    )) as { id: string }[];
    await ds.query(
      `INSERT INTO duty_positions (center_id, code, name_vi) VALUES ($1, 'police-duty', 'Trực công an')`,
      [centerId],
    );
    [{ id: staffId }] = (await ds.query(
      `INSERT INTO duty_staff (center_id, full_name) VALUES ($1, 'Người thử') RETURNING id`,
      [centerId],
    )) as { id: string }[];
    // One person, 4-hour shifts starting at t0 - 2 h (a shift is in progress at t0).
    const anchor = localDateTimeOf(t0 - 2 * HOUR_MS);
    await ds.query(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, valid_from)
       VALUES ($1, 'police-duty', 4, $2, $3::uuid[], '2020-01-01')`,
      [centerId, anchor, [staffId]],
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await scratch.drop();
  });

  it('a gap in progress keeps its start from run to run and is reported once', async () => {
    await ds.query(`INSERT INTO duty_leave (staff_id, starts_at, ends_at) VALUES ($1, $2, $3)`, [
      staffId,
      new Date(t0 - 2 * HOUR_MS),
      new Date(t0 + 2 * HOUR_MS),
    ]);
    expect(await checks.recomputeGaps(t0, [centerId])).toEqual({ detected: 1, closed: 0 });
    expect(await checks.recomputeGaps(t0 + 10 * 60_000, [centerId])).toEqual({
      detected: 0,
      closed: 0,
    });
    expect(await checks.recomputeGaps(t0 + 30 * 60_000, null)).toEqual({ detected: 0, closed: 0 });
    const detected = await events('coverage.gap-detected');
    expect(detected.map((e) => e.payload)).toEqual([
      {
        centerId,
        position: 'police-duty',
        from: new Date(t0 - 2 * HOUR_MS).toISOString(),
        to: new Date(t0 + 2 * HOUR_MS).toISOString(),
        required: 1,
        present: 0,
        urgent: true,
      },
    ]);
    expect(publisher.published).toHaveLength(1);
  });

  it('a gap whose time has passed is closed without a coverage.gap-closed', async () => {
    expect(await checks.recomputeGaps(t0 + 3 * HOUR_MS, [centerId])).toEqual({
      detected: 0,
      closed: 0,
    });
    const [row] = (await ds.query(
      `SELECT state, closed_reason FROM coverage_gaps WHERE center_id = $1`,
      [centerId],
    )) as { state: string; closed_reason: string }[];
    expect(row).toEqual({ state: 'closed', closed_reason: 'elapsed' });
    expect(await events('coverage.gap-closed')).toEqual([]);
  });

  it('a gap detected hours ahead raises one urgent coverage.gap-detected when it comes within the hour', async () => {
    // The shift starting at t0 + 10 h, lost to leave.
    await ds.query(`INSERT INTO duty_leave (staff_id, starts_at, ends_at) VALUES ($1, $2, $3)`, [
      staffId,
      new Date(t0 + 10 * HOUR_MS),
      new Date(t0 + 14 * HOUR_MS),
    ]);
    expect(await checks.recomputeGaps(t0 + 3 * HOUR_MS, [centerId])).toEqual({
      detected: 1,
      closed: 0,
    });
    expect(await checks.recomputeGaps(t0 + 9.5 * HOUR_MS, [centerId])).toEqual({
      detected: 1,
      closed: 0,
    });
    expect(await checks.recomputeGaps(t0 + 9.75 * HOUR_MS, [centerId])).toEqual({
      detected: 0,
      closed: 0,
    });
    const ahead = (await events('coverage.gap-detected')).filter(
      (e) => e.payload.from === new Date(t0 + 10 * HOUR_MS).toISOString(),
    );
    expect(ahead.map((e) => e.payload.urgent)).toEqual([false, true]);
  });

  it('a gap that is staffed again raises coverage.gap-closed once', async () => {
    await ds.query(`DELETE FROM duty_leave WHERE starts_at = $1`, [new Date(t0 + 10 * HOUR_MS)]);
    expect(await checks.recomputeGaps(t0 + 9.8 * HOUR_MS, [centerId])).toEqual({
      detected: 0,
      closed: 1,
    });
    expect(await checks.recomputeGaps(t0 + 9.9 * HOUR_MS, [centerId])).toEqual({
      detected: 0,
      closed: 0,
    });
    expect((await events('coverage.gap-closed')).map((e) => e.payload)).toEqual([
      {
        centerId,
        position: 'police-duty',
        from: new Date(t0 + 10 * HOUR_MS).toISOString(),
        to: new Date(t0 + 14 * HOUR_MS).toISOString(),
      },
    ]);
  });
});
