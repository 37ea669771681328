import type { DataSource, EntityManager } from 'typeorm';

/**
 * Demo duty rosters: one command center for the root unit and one for each unit directly under
 * it, each staffing commander (1), duty officers (2), medical duty (1) and police duty (1) around
 * the clock with 12-hour (07:00/19:00) or 8-hour (06:00/14:00/22:00) rotations. Every name is
 * fictional, every number is fake (0203 3xxx xxx is the Quảng Ninh area code with made-up
 * digits), addresses are approximate. Seeding again changes nothing: a unit that already has a
 * command center is left alone.
 */

interface SeedPosition {
  code: string;
  nameVi: string;
  nameEn: string;
  required: number;
  /** People in the rotation. */
  staff: number;
  shiftHours: 8 | 12;
}

const POSITIONS: readonly SeedPosition[] = [
  {
    code: 'commander',
    nameVi: 'Chỉ huy trực',
    nameEn: 'Commander on duty',
    required: 1,
    staff: 2,
    shiftHours: 12,
  },
  {
    code: 'duty-officer',
    nameVi: 'Cán bộ trực ban',
    nameEn: 'Duty officer',
    required: 2,
    staff: 4,
    shiftHours: 12,
  },
  {
    code: 'medical-duty',
    nameVi: 'Trực y tế',
    nameEn: 'Medical duty',
    required: 1,
    staff: 3,
    shiftHours: 8,
  },
  {
    code: 'police-duty',
    nameVi: 'Trực công an',
    nameEn: 'Police duty',
    required: 1,
    staff: 2,
    shiftHours: 12,
  },
];

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Quốc', 'Hồng', 'Thanh', 'Ngọc', 'Hữu'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Ngân',
  'Phong',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Việt',
  'Yến',
];

/** National holidays kept 'same' (the regular rotation runs; the day is shown by name). */
const SPECIAL_DAYS: readonly [string, string][] = [
  ['2022-02-01', 'Mùng 1 Tết Nhâm Dần'],
  ['2022-02-02', 'Mùng 2 Tết Nhâm Dần'],
  ['2022-02-03', 'Mùng 3 Tết Nhâm Dần'],
  ['2022-09-02', 'Quốc khánh 2/9'],
];

function fictionalName(n: number): string {
  return `${FAMILY[n % FAMILY.length]} ${MIDDLE[(n * 7 + 3) % MIDDLE.length]} ${GIVEN[(n * 11 + 5) % GIVEN.length]}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface RosterSeedSummary {
  centersCreated: number;
  staffCreated: number;
  /** Duty-officer accounts linked to a person of their unit's roster (they can check in). */
  accountsLinked: number;
}

async function seedCenter(
  m: EntityManager,
  unit: { code: string; name: string; root: boolean },
  index: number,
): Promise<number> {
  const level = unit.root ? 'tỉnh' : '';
  const [{ id: centerId }] = (await m.query(
    `INSERT INTO command_centers (unit_code, name, hotline, address, public) VALUES ($1, $2, $3, $4, true) RETURNING id`,
    [
      unit.code,
      `Trung tâm Chỉ huy phòng, chống dịch Covid-19 ${level ? `${level} ` : ''}${unit.name}`,
      `0203 3${pad(index, 3)} ${pad(100 + index, 3)}`,
      `Trụ sở UBND ${unit.name} (địa chỉ minh họa, gần đúng)`,
    ],
  )) as { id: string }[];
  let staffCount = 0;
  for (const [order, p] of POSITIONS.entries()) {
    await m.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, name_en, required_count, sort_order) VALUES ($1, $2, $3, $4, $5, $6)`,
      [centerId, p.code, p.nameVi, p.nameEn, p.required, order],
    );
    const staffIds: string[] = [];
    for (let i = 0; i < p.staff; i++) {
      const n = index * 17 + order * 5 + i;
      const [{ id }] = (await m.query(
        `INSERT INTO duty_staff (center_id, full_name, public_phone, personal_phone, position_codes)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [
          centerId,
          fictionalName(n),
          `0203 39${pad(index, 2)} ${order}${pad(i, 2)}`,
          `0900 ${pad(index, 3)} ${order}${pad(i, 2)}`,
          [p.code],
        ],
      )) as { id: string }[];
      staffIds.push(id);
      staffCount++;
    }
    await m.query(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, '2021-08-30')`,
      [
        centerId,
        p.code,
        p.shiftHours,
        p.shiftHours === 12 ? '2021-08-30 07:00' : '2021-08-30 06:00',
        staffIds,
        p.required,
      ],
    );
  }
  return staffCount;
}

export async function seedDemoRoster(dataSource: DataSource): Promise<RosterSeedSummary> {
  return dataSource.transaction(async (m) => {
    // One seeder at a time (api tests and `npm run seed` may race on a shared database).
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('frontline:seed-roster'))`);
    const units = (await m.query(
      `SELECT u.code, u.name, u.parent_code IS NULL AS root,
              EXISTS (SELECT 1 FROM command_centers c WHERE c.unit_code = u.code) AS has_center
       FROM admin_units u WHERE array_length(u.path, 1) <= 2 ORDER BY array_length(u.path, 1), u.code`,
    )) as { code: string; name: string; root: boolean; has_center: boolean }[];
    let centersCreated = 0;
    let staffCreated = 0;
    for (const [index, unit] of units.entries()) {
      if (unit.has_center) continue;
      staffCreated += await seedCenter(m, unit, index);
      centersCreated++;
    }
    for (const [day, name] of SPECIAL_DAYS) {
      await m.query(
        `INSERT INTO duty_special_days (center_id, day, name) SELECT NULL, $1::date, $2
         WHERE NOT EXISTS (SELECT 1 FROM duty_special_days WHERE center_id IS NULL AND day = $1::date)`,
        [day, name],
      );
    }
    // Each duty-officer account at a unit with a center is linked to the first duty officer of
    // that center's rotation, unless the account is already linked there (seeding again: 0).
    const [{ n: accountsLinked }] = (await m.query(
      `WITH linked AS (UPDATE duty_staff s SET user_id = x.user_id
       FROM (
         SELECT DISTINCT ON (u.id) u.id AS user_id, r.staff_ids[1] AS staff_id
         FROM users u
         JOIN command_centers c ON c.unit_code = u.unit_code
         JOIN duty_rotations r ON r.center_id = c.id AND r.position_code = 'duty-officer' AND r.special_day_id IS NULL
         WHERE u.role = 'duty-officer' AND u.active
           AND NOT EXISTS (SELECT 1 FROM duty_staff l WHERE l.center_id = c.id AND l.user_id = u.id)
         ORDER BY u.id, r.created_at, r.id
       ) x
       WHERE s.id = x.staff_id AND s.user_id IS NULL
       RETURNING s.id)
       SELECT count(*)::int AS n FROM linked`,
    )) as { n: number }[];
    return { centersCreated, staffCreated, accountsLinked };
  });
}
