import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A lockdown as its ending notice needs it. */
export interface LockedLockdown {
  unitCode: string;
  unitPath: string[];
  state: string;
  plannedEnd: Date;
}

/** The lockdowns the worker reads (the api's zones module writes them). */
@Injectable()
export class LockdownsRepository {
  /** The lockdown, locked until the transaction ends, or null when there is no such lockdown. */
  async lock(em: EntityManager, lockdownId: string): Promise<LockedLockdown | null> {
    const [row] = (await em.query(
      `SELECT unit_code, unit_path, state, planned_end FROM lockdowns WHERE id = $1 FOR UPDATE`,
      [lockdownId],
    )) as { unit_code: string; unit_path: string[]; state: string; planned_end: Date }[];
    return row ? { unitCode: row.unit_code, unitPath: row.unit_path, state: row.state, plannedEnd: row.planned_end } : null;
  }
}
