import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import { Role, toSlug } from '@frontline/contracts';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  unitCode: string;
}

/**
 * Demo accounts: `province.commander` and `province.duty` at the root unit, and
 * `<district-slug>.duty` for each unit directly under it. Usernames come from the data, so
 * another province gets its own accounts without code changes.
 */
export async function demoAccounts(dataSource: DataSource): Promise<DemoAccount[]> {
  const units: { code: string; name: string; parent_code: string | null; level: string }[] = await dataSource.query(
    `SELECT code, name, parent_code, level FROM admin_units WHERE array_length(path, 1) <= 2 ORDER BY array_length(path, 1), name`,
  );
  const root = units.find((u) => u.parent_code === null);
  if (!root) throw new Error('no root unit: seed the units first');
  return [
    { username: 'province.commander', displayName: `Chỉ huy trưởng ${root.name}`, role: 'commander', unitCode: root.code },
    { username: 'province.duty', displayName: `Trực ban ${root.name}`, role: 'duty-officer', unitCode: root.code },
    ...units
      .filter((u) => u.parent_code === root.code)
      .map((u) => ({
        username: `${toSlug(u.name)}.duty`,
        displayName: `Trực ban ${u.name}`,
        role: 'duty-officer' as const,
        unitCode: u.code,
      })),
  ];
}

/** Creates or resets the demo accounts with one password. Refuses to run in production. */
export async function seedDemoAccounts(dataSource: DataSource, password: string, nodeEnv: string): Promise<DemoAccount[]> {
  if (nodeEnv === 'production') {
    throw new Error('refusing to create demo accounts with NODE_ENV=production');
  }
  const accounts = await demoAccounts(dataSource);
  const hash = await argon2.hash(password);
  await dataSource.query(
    `INSERT INTO users (username, display_name, password_hash, role, unit_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name,
       password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, unit_code = EXCLUDED.unit_code, active = true`,
    [
      accounts.map((a) => a.username),
      accounts.map((a) => a.displayName),
      accounts.map(() => hash),
      accounts.map((a) => a.role),
      accounts.map((a) => a.unitCode),
    ],
  );
  return accounts;
}
