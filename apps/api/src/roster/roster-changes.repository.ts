import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RotationResponse } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';
import { rotationFromRow, SELECT_ROTATION } from '@frontline/roster-ops';
import type { RotationRow } from '@frontline/roster-ops';

export interface NewOverride {
  centerId: string;
  position: string;
  shiftStart: Date;
  outStaffId: string | null;
  inStaffId: string;
  reason: string | null;
  createdBy: string;
}

export interface NewSwap {
  centerId: string;
  staffA: string;
  positionA: string;
  shiftStartA: Date;
  staffB: string;
  positionB: string;
  shiftStartB: Date;
  reason: string | null;
}

/** The pattern of a rotation (what an edit may change). */
export interface RotationPattern {
  shiftHours: number;
  anchor: string;
  staffIds: string[];
  perShift: number;
  validTo: string | null;
}

export interface NewRotation extends RotationPattern {
  centerId: string;
  position: string;
  validFrom: string;
  specialDayId: string | null;
  createdBy: string;
}

export type SwapDecision =
  | { status: 'approved'; by: string }
  | { status: 'rejected'; by: string; reason: string | null };

/**
 * The records a roster edit writes: overrides, swaps, leave, rotations and special days
 * (`duty_*` tables). Local dates travel as `YYYY-MM-DD` text.
 */
@Injectable()
export class RosterChangesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertOverride(em: EntityManager, o: NewOverride): Promise<string> {
    const [{ id }] = (await em.query(
      `INSERT INTO duty_overrides (center_id, position_code, shift_start, out_staff_id, in_staff_id, reason, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [o.centerId, o.position, o.shiftStart, o.outStaffId, o.inStaffId, o.reason, o.createdBy],
    )) as { id: string }[];
    return id;
  }

  async insertSwap(s: NewSwap): Promise<string> {
    const [{ id }] = (await this.dataSource.query(
      `INSERT INTO duty_swaps (center_id, staff_a, position_a, shift_start_a, staff_b, position_b, shift_start_b, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [s.centerId, s.staffA, s.positionA, s.shiftStartA, s.staffB, s.positionB, s.shiftStartB, s.reason],
    )) as { id: string }[];
    return id;
  }

  async swap(swapId: string): Promise<{ centerId: string; status: string } | undefined> {
    const rows = (await this.dataSource.query(`SELECT center_id, status FROM duty_swaps WHERE id = $1`, [
      swapId,
    ])) as { center_id: string; status: string }[];
    return rows[0] && { centerId: rows[0].center_id, status: rows[0].status };
  }

  /** Decides a swap still proposed; false when it is not (decided meanwhile). */
  async decideSwap(em: EntityManager, swapId: string, decision: SwapDecision): Promise<boolean> {
    const updated = (
      decision.status === 'approved'
        ? await em.query(
            `WITH approved AS (UPDATE duty_swaps SET status = 'approved', approved_by = $2, approved_at = now()
             WHERE id = $1 AND status = 'proposed' RETURNING id)
             SELECT id FROM approved`,
            [swapId, decision.by],
          )
        : await em.query(
            `WITH rejected AS (UPDATE duty_swaps SET status = 'rejected', rejected_by = $2, rejected_at = now(), reject_reason = $3
             WHERE id = $1 AND status = 'proposed' RETURNING id)
             SELECT id FROM rejected`,
            [swapId, decision.by, decision.reason],
          )
    ) as { id: string }[];
    return updated.length > 0;
  }

  /** The same leave (person, start, end) already recorded. */
  async findLeave(staffId: string, from: Date, to: Date, db: Queryable = this.dataSource): Promise<string | undefined> {
    const rows = (await db.query(
      `SELECT id FROM duty_leave WHERE staff_id = $1 AND starts_at = $2 AND ends_at = $3`,
      [staffId, from, to],
    )) as { id: string }[];
    return rows[0]?.id;
  }

  /** Serialises leave recorded for one person until the transaction ends. */
  async lockLeaveOf(em: EntityManager, staffId: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('frontline:leave:' || $1))`, [staffId]);
  }

  async insertLeave(em: EntityManager, staffId: string, from: Date, to: Date, reason: string | null): Promise<string> {
    const [{ id }] = (await em.query(
      `INSERT INTO duty_leave (staff_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
      [staffId, from, to, reason],
    )) as { id: string }[];
    return id;
  }

  async rotation(id: string): Promise<RotationResponse | undefined> {
    const rows = (await this.dataSource.query(`${SELECT_ROTATION} WHERE id = $1`, [id])) as RotationRow[];
    return rows[0] && rotationFromRow(rows[0]);
  }

  /** Rotations of one center, ended ones included, by position and date. */
  async rotationsOf(centerId: string): Promise<RotationResponse[]> {
    const rows = (await this.dataSource.query(
      `${SELECT_ROTATION} WHERE center_id = $1 ORDER BY position_code, valid_from, created_at`,
      [centerId],
    )) as RotationRow[];
    return rows.map(rotationFromRow);
  }

  async insertRotation(em: EntityManager, r: NewRotation): Promise<string> {
    const [{ id }] = (await em.query(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from, valid_to, special_day_id, created_by)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10) RETURNING id`,
      [r.centerId, r.position, r.shiftHours, r.anchor, r.staffIds, r.perShift, r.validFrom, r.validTo, r.specialDayId, r.createdBy],
    )) as { id: string }[];
    return id;
  }

  /** Locks a rotation for an edit; its end date as it is now, or undefined when it is gone. */
  async lockRotation(em: EntityManager, id: string): Promise<{ validTo: string | null } | undefined> {
    const [locked] = (await em.query(
      `SELECT to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM duty_rotations WHERE id = $1 FOR UPDATE`,
      [id],
    )) as { valid_to: string | null }[];
    return locked && { validTo: locked.valid_to };
  }

  async updateRotation(em: EntityManager, id: string, next: RotationPattern): Promise<void> {
    await em.query(
      `UPDATE duty_rotations SET shift_hours = $2, anchor_local = $3, staff_ids = $4::uuid[], per_shift = $5, valid_to = $6 WHERE id = $1`,
      [id, next.shiftHours, next.anchor, next.staffIds, next.perShift, next.validTo],
    );
  }

  async endRotation(em: EntityManager, id: string, lastDay: string): Promise<void> {
    await em.query(`UPDATE duty_rotations SET valid_to = $2 WHERE id = $1`, [id, lastDay]);
  }

  /**
   * Another rotation of the same kind (regular, or the same special day) holding the position
   * on a date of [from, to] (to null: open-ended), leaving out `except`.
   */
  async overlappingRotation(
    centerId: string,
    position: string,
    specialDayId: string | null,
    from: string,
    to: string | null,
    except: string | null,
  ): Promise<string | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_rotations
       WHERE center_id = $1 AND position_code = $2 AND special_day_id IS NOT DISTINCT FROM $3::uuid
         AND ($6::uuid IS NULL OR id <> $6)
         AND (valid_to IS NULL OR valid_to >= $4::date) AND ($5::date IS NULL OR valid_from <= $5::date)
       LIMIT 1`,
      [centerId, position, specialDayId, from, to, except],
    )) as { id: string }[];
    return rows[0]?.id;
  }

  /** A special day with its center (null: every center). */
  async specialDay(id: string): Promise<{ centerId: string | null; day: string } | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT center_id, to_char(day, 'YYYY-MM-DD') AS day FROM duty_special_days WHERE id = $1`,
      [id],
    )) as { center_id: string | null; day: string }[];
    return rows[0] && { centerId: rows[0].center_id, day: rows[0].day };
  }

  /** A special day that applies to this center (its own, or one of every center). */
  async specialDayOf(centerId: string, id: string): Promise<{ id: string; day: string } | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT id, to_char(day, 'YYYY-MM-DD') AS day FROM duty_special_days
       WHERE id = $1 AND (center_id IS NULL OR center_id = $2)`,
      [id, centerId],
    )) as { id: string; day: string }[];
    return rows[0];
  }

  /** The center's own special day on that date, leaving out `except`. */
  async specialDayOn(centerId: string, date: string, except: string | null): Promise<string | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_special_days WHERE center_id = $1 AND day = $2 AND ($3::uuid IS NULL OR id <> $3)`,
      [centerId, date, except],
    )) as { id: string }[];
    return rows[0]?.id;
  }

  /** Undefined when the center already has a special day on that date (nothing inserted). */
  async insertSpecialDay(em: EntityManager, centerId: string, date: string, name: string, createdBy: string): Promise<string | undefined> {
    const rows = (await em.query(
      `INSERT INTO duty_special_days (center_id, day, name, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING id`,
      [centerId, date, name, createdBy],
    )) as { id: string }[];
    return rows[0]?.id;
  }

  /** Renames or moves a special day; its rotations move with it. */
  async updateSpecialDay(em: EntityManager, id: string, change: { date?: string; name?: string }): Promise<void> {
    await em.query(
      `UPDATE duty_special_days SET day = COALESCE($2::date, day), name = COALESCE($3, name) WHERE id = $1`,
      [id, change.date ?? null, change.name ?? null],
    );
    if (change.date !== undefined) {
      await em.query(`UPDATE duty_rotations SET valid_from = $2, valid_to = $2 WHERE special_day_id = $1`, [id, change.date]);
    }
  }
}
