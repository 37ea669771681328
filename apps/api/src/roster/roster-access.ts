import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';

export interface CenterRow {
  id: string;
  unit_code: string;
  path: string[];
}

/** A command center the caller may act on: 404 when unknown (naming the field), 403 outside their jurisdiction. */
export async function centerInJurisdiction(
  db: DataSource | EntityManager,
  centerId: string,
  caller: Principal,
  field: string,
): Promise<CenterRow> {
  const rows = (await db.query(
    `SELECT c.id, c.unit_code, u.path FROM command_centers c JOIN admin_units u ON u.code = c.unit_code WHERE c.id = $1`,
    [centerId],
  )) as CenterRow[];
  if (!rows.length) {
    throw new NotFoundException({
      message: `${field}: no command center "${centerId}"`,
      details: [{ path: field, message: 'unknown command center' }],
    });
  }
  if (!UnitDirectory.within(caller.unitCode, rows[0].path)) {
    throw new ForbiddenException(`${field}: this command center is outside your jurisdiction`);
  }
  return rows[0];
}

/** The person on the center's staff linked to the caller's account, or null. */
export async function linkedStaffId(
  db: DataSource | EntityManager,
  centerId: string,
  userId: string,
): Promise<string | null> {
  const rows = (await db.query(
    `SELECT id FROM duty_staff WHERE center_id = $1 AND user_id = $2 AND active`,
    [centerId, userId],
  )) as { id: string }[];
  return rows[0]?.id ?? null;
}
