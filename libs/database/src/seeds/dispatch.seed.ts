import type { DataSource } from 'typeorm';

/**
 * Demo teams: for the root unit and each unit directly under it, a tracing team, a sample
 * collection team and a cordon team, based at the unit's label point (border districts also get
 * a border patrol). Team names are unit-level labels, no person. Seeding again changes nothing.
 */
const TEAMS: readonly { kind: string; name: string }[] = [
  { kind: 'tracing', name: 'Tổ truy vết 1' },
  { kind: 'sample-collection', name: 'Tổ lấy mẫu 1' },
  { kind: 'cordon', name: 'Tổ phong tỏa 1' },
];
/** Districts on the land border with China (Móng Cái, Bình Liêu, Hải Hà). */
const BORDER_UNITS = ['194', '201', '198'];

export async function seedDemoTeams(dataSource: DataSource): Promise<{ teams: number }> {
  const units = (await dataSource.query(
    `SELECT code, path FROM admin_units WHERE array_length(path, 1) <= 2 ORDER BY array_length(path, 1), code`,
  )) as { code: string; path: string[] }[];
  let teams = 0;
  for (const unit of units) {
    const kinds = [...TEAMS, ...(BORDER_UNITS.includes(unit.code) ? [{ kind: 'border-patrol', name: 'Tổ tuần tra biên giới 1' }] : [])];
    for (const team of kinds) {
      const inserted = (await dataSource.query(
        `INSERT INTO teams (unit_code, unit_path, name, kind, base_location)
         SELECT u.code, u.path, $2, $3, COALESCE(u.label_point, ST_PointOnSurface(u.geom))::geography
         FROM admin_units u WHERE u.code = $1
         ON CONFLICT (unit_code, name) DO NOTHING RETURNING id`,
        [unit.code, team.name, team.kind],
      )) as unknown[];
      teams += inserted.length;
    }
  }
  return { teams };
}
