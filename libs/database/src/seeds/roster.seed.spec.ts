import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { runMigrationsLocked } from '../migrate';
import { seedUnits } from './units.seed';
import { seedDemoRoster } from './roster.seed';
import { seedDemoAccounts } from './accounts.seed';
import { ScratchDatabase } from '../testing/scratch-database';

describe('demo duty rosters (migration DutyRosters1732600000000 and seedDemoRoster)', () => {
  const scratch = new ScratchDatabase('fl_roster');
  let ds: DataSource;

  beforeAll(async () => {
    await scratch.create();
    ds = await createDataSource(scratch.url, 2).initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await scratch.drop();
  });

  it('creates one center per unit down to the districts, staffed 24/7, and seeding again changes nothing', async () => {
    expect(await seedDemoRoster(ds)).toEqual({
      centersCreated: 14,
      staffCreated: 14 * 11,
      accountsLinked: 0,
    });
    expect(await seedDemoRoster(ds)).toEqual({
      centersCreated: 0,
      staffCreated: 0,
      accountsLinked: 0,
    });
    const [counts] = (await ds.query(
      `SELECT (SELECT count(*) FROM command_centers)::int AS centers, (SELECT count(*) FROM duty_positions)::int AS positions,
              (SELECT count(*) FROM duty_rotations)::int AS rotations, (SELECT count(*) FROM duty_special_days)::int AS special_days,
              (SELECT count(*) FROM duty_staff WHERE public_phone !~ '^0203 3\\d{3} \\d{3}$')::int AS odd_phones`,
    )) as Record<string, number>[];
    expect(counts).toEqual({
      centers: 14,
      positions: 56,
      rotations: 56,
      special_days: 4,
      odd_phones: 0,
    });
    // Each rotation puts exactly `required_count` people on a shift, and 24 is a multiple of its length.
    const bad = (await ds.query(
      `SELECT r.id FROM duty_rotations r JOIN duty_positions p ON p.center_id = r.center_id AND p.code = r.position_code
       WHERE r.per_shift <> p.required_count OR 24 % r.shift_hours <> 0 OR cardinality(r.staff_ids) < r.per_shift`,
    )) as unknown[];
    expect(bad).toEqual([]);
  });

  it('refuses a rotation for a position the center does not have, and leave that ends before it starts', async () => {
    const [{ id: center }] = (await ds.query(`SELECT id FROM command_centers LIMIT 1`)) as {
      id: string;
    }[];
    const [{ id: staff }] = (await ds.query(`SELECT id FROM duty_staff LIMIT 1`)) as {
      id: string;
    }[];
    await expect(
      ds.query(
        `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, valid_from) VALUES ($1, 'cook', 12, '2022-01-01 07:00', $2::uuid[], '2022-01-01')`,
        [center, [staff]],
      ),
    ).rejects.toThrow(/foreign key/);
    await expect(
      ds.query(
        `INSERT INTO duty_leave (staff_id, starts_at, ends_at) VALUES ($1, now(), now() - interval '1 hour')`,
        [staff],
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it("links each duty-officer account to one duty officer of its unit's center, once", async () => {
    await seedDemoAccounts(ds, 'seed-test-password', 'test');
    expect((await seedDemoRoster(ds)).accountsLinked).toBe(14);
    expect((await seedDemoRoster(ds)).accountsLinked).toBe(0);
    const [row] = (await ds.query(
      `SELECT count(*)::int AS n FROM duty_staff s JOIN users u ON u.id = s.user_id JOIN command_centers c ON c.id = s.center_id
       WHERE u.unit_code = c.unit_code AND 'duty-officer' = ANY(s.position_codes)`,
    )) as { n: number }[];
    expect(row.n).toBe(14);
  });
});
