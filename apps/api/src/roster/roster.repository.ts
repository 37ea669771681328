import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Queryable } from '@frontline/database';
import {
  LoadedRoster,
  LoadOptions,
  loadRoster,
  positionKey,
} from '@frontline/roster-ops';

export type {
  CenterRow,
  LoadedRoster,
  LoadOptions,
  StaffRow,
} from '@frontline/roster-ops';

/** A command center with the unit path its jurisdiction is checked against. */
export interface CenterPlace {
  id: string;
  unit_code: string;
  path: string[];
}

/**
 * The api's handle on the roster rows: the whole roster of some centers for a window
 * (libs/roster-ops `loadRoster`, shared with the worker), and the lookups of centers, staff and
 * positions that requests are checked against.
 */
@Injectable()
export class RosterRepository {
  constructor(private readonly dataSource: DataSource) {}

  static positionKey(centerId: string, code: string): string {
    return positionKey(centerId, code);
  }

  load(
    from: number,
    to: number,
    options: LoadOptions,
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<LoadedRoster> {
    return loadRoster(manager, from, to, options);
  }

  async center(centerId: string, db: Queryable = this.dataSource): Promise<CenterPlace | undefined> {
    const rows = (await db.query(
      `SELECT c.id, c.unit_code, u.path FROM command_centers c JOIN admin_units u ON u.code = c.unit_code WHERE c.id = $1`,
      [centerId],
    )) as CenterPlace[];
    return rows[0];
  }

  /** The person on the center's staff linked to this account, or null. */
  async linkedStaffId(centerId: string, userId: string): Promise<string | null> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_staff WHERE center_id = $1 AND user_id = $2 AND active`,
      [centerId, userId],
    )) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** The center a person of the duty staff belongs to. */
  async centerOfStaff(staffId: string): Promise<string | undefined> {
    const rows = (await this.dataSource.query(`SELECT center_id FROM duty_staff WHERE id = $1`, [
      staffId,
    ])) as { center_id: string }[];
    return rows[0]?.center_id;
  }

  /** Which of these ids are on the center's staff (active ones only when asked). */
  async staffOfCenter(centerId: string, ids: string[], activeOnly: boolean): Promise<Set<string>> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_staff WHERE center_id = $1 AND (NOT $3 OR active) AND id = ANY($2::uuid[])`,
      [centerId, ids, activeOnly],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  async hasPosition(centerId: string, code: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM duty_positions WHERE center_id = $1 AND code = $2`,
      [centerId, code],
    )) as unknown[];
    return rows.length > 0;
  }
}
