import type { DataSource, EntityManager } from 'typeorm';
import type { RotationResponse } from '@frontline/contracts';
import type { RosterData } from '@frontline/roster';
import { DAY_MS } from '@frontline/roster';

export interface CenterRow {
  id: string;
  unitCode: string;
  name: string;
  hotline: string | null;
  address: string | null;
}

export interface StaffRow {
  id: string;
  fullName: string;
  publicPhone: string | null;
  /** Only loaded when asked for. */
  personalPhone?: string | null;
}

/** A rotation as stored (local times as text): read here and by the roster editing api. */
export interface RotationRow {
  id: string;
  center_id: string;
  position_code: string;
  shift_hours: number;
  anchor: string;
  staff_ids: string[];
  per_shift: number;
  valid_from: string;
  valid_to: string | null;
  special_day_id: string | null;
}

/** The one mapping of a stored rotation, for the roster expansion and for the editing api alike. */
export function rotationFromRow(r: RotationRow): RotationResponse {
  return {
    id: r.id,
    centerId: r.center_id,
    position: r.position_code,
    shiftHours: r.shift_hours,
    anchor: r.anchor,
    staffIds: r.staff_ids,
    perShift: r.per_shift,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    specialDayId: r.special_day_id,
  };
}

export const SELECT_ROTATION = `SELECT id, center_id, position_code, shift_hours, to_char(anchor_local, 'YYYY-MM-DD"T"HH24:MI') AS anchor,
  staff_ids::text[] AS staff_ids, per_shift, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(valid_to, 'YYYY-MM-DD') AS valid_to, special_day_id FROM duty_rotations`;

export interface LoadedRoster {
  centers: CenterRow[];
  positionNames: Map<string, { vi: string; en: string | null; order: number }>;
  staff: Map<string, StaffRow>;
  data: RosterData;
}

export interface LoadOptions {
  /** Centers of these units only (exact unit, not the subtree). */
  unitCodes?: readonly string[];
  /** These centers only. */
  centerIds?: readonly string[];
  publicOnly?: boolean;
  withPersonalPhone?: boolean;
}

/** Longest shift the schema allows (24 h): overrides and swaps of shifts started that long ago still matter. */
const MAX_SHIFT_MS = DAY_MS;

export function positionKey(centerId: string, code: string): string {
  return `${centerId}/${code}`;
}

/**
 * Reads the roster rows of some command centers, for one window of time, as the plain data the
 * pure functions of libs/roster expand. Only PostgreSQL: the duty list answers when Redis does not.
 */
export async function loadRoster(
  manager: EntityManager | DataSource,
  from: number,
  to: number,
  options: LoadOptions,
): Promise<LoadedRoster> {
  const centers = (await manager.query(
    `SELECT c.id, c.unit_code AS "unitCode", c.name, c.hotline, c.address
       FROM command_centers c JOIN admin_units u ON u.code = c.unit_code
       WHERE ($1::text[] IS NULL OR c.unit_code = ANY($1)) AND (NOT $2 OR c.public)
         AND ($3::uuid[] IS NULL OR c.id = ANY($3))
       ORDER BY array_length(u.path, 1), u.name, c.name`,
    [options.unitCodes ?? null, options.publicOnly ?? false, options.centerIds ?? null],
  )) as CenterRow[];
  const ids = centers.map((c) => c.id);
  const windowFrom = new Date(from - MAX_SHIFT_MS);
  const windowTo = new Date(to);
  const [positions, staff, rotations, specialDays, overrides, swaps, leave] = await Promise.all([
    manager.query(
      `SELECT center_id, code, name_vi, name_en, required_count, sort_order FROM duty_positions WHERE center_id = ANY($1)`,
      [ids],
    ) as Promise<
      {
        center_id: string;
        code: string;
        name_vi: string;
        name_en: string | null;
        required_count: number;
        sort_order: number;
      }[]
    >,
    manager.query(
      `SELECT id, full_name, public_phone, ${options.withPersonalPhone ? 'personal_phone' : 'NULL::text AS personal_phone'}, active
         FROM duty_staff WHERE center_id = ANY($1)`,
      [ids],
    ) as Promise<
      {
        id: string;
        full_name: string;
        public_phone: string | null;
        personal_phone: string | null;
        active: boolean;
      }[]
    >,
    manager.query(`${SELECT_ROTATION} WHERE center_id = ANY($1)`, [ids]) as Promise<RotationRow[]>,
    manager.query(
      `SELECT id, center_id, to_char(day, 'YYYY-MM-DD') AS day, name FROM duty_special_days
         WHERE center_id IS NULL OR center_id = ANY($1)`,
      [ids],
    ) as Promise<{ id: string; center_id: string | null; day: string; name: string }[]>,
    manager.query(
      `SELECT id, center_id, position_code, shift_start, out_staff_id, in_staff_id FROM duty_overrides
         WHERE center_id = ANY($1) AND shift_start >= $2 AND shift_start < $3 ORDER BY created_at, id`,
      [ids, windowFrom, windowTo],
    ) as Promise<
      {
        id: string;
        center_id: string;
        position_code: string;
        shift_start: Date;
        out_staff_id: string | null;
        in_staff_id: string;
      }[]
    >,
    manager.query(
      `SELECT id, center_id, staff_a, position_a, shift_start_a, staff_b, position_b, shift_start_b, approved_at
         FROM duty_swaps WHERE center_id = ANY($1) AND status = 'approved'
           AND ((shift_start_a >= $2 AND shift_start_a < $3) OR (shift_start_b >= $2 AND shift_start_b < $3))`,
      [ids, windowFrom, windowTo],
    ) as Promise<
      {
        id: string;
        center_id: string;
        staff_a: string;
        position_a: string;
        shift_start_a: Date;
        staff_b: string;
        position_b: string;
        shift_start_b: Date;
        approved_at: Date;
      }[]
    >,
    manager.query(
      `SELECT l.id, l.staff_id, l.starts_at, l.ends_at FROM duty_leave l JOIN duty_staff s ON s.id = l.staff_id
         WHERE s.center_id = ANY($1) AND l.starts_at < $3 AND l.ends_at > $2`,
      [ids, windowFrom, windowTo],
    ) as Promise<{ id: string; staff_id: string; starts_at: Date; ends_at: Date }[]>,
  ]);

  const data: RosterData = {
    positions: positions.map((p) => ({
      centerId: p.center_id,
      code: p.code,
      requiredCount: p.required_count,
    })),
    rotations: rotations.map(rotationFromRow),
    specialDays: specialDays.map((d) => ({
      id: d.id,
      centerId: d.center_id,
      date: d.day,
      name: d.name,
    })),
    overrides: overrides.map((o) => ({
      id: o.id,
      centerId: o.center_id,
      position: o.position_code,
      shiftStart: o.shift_start.getTime(),
      outStaffId: o.out_staff_id,
      inStaffId: o.in_staff_id,
    })),
    swaps: swaps.map((s) => ({
      id: s.id,
      centerId: s.center_id,
      staffA: s.staff_a,
      positionA: s.position_a,
      shiftStartA: s.shift_start_a.getTime(),
      staffB: s.staff_b,
      positionB: s.position_b,
      shiftStartB: s.shift_start_b.getTime(),
      status: 'approved' as const,
      approvedAt: s.approved_at.getTime(),
    })),
    leave: [
      ...leave.map((l) => ({
        id: l.id,
        staffId: l.staff_id,
        from: l.starts_at.getTime(),
        to: l.ends_at.getTime(),
      })),
      // Someone no longer active holds no shift: as if on leave for ever.
      ...staff
        .filter((s) => !s.active)
        .map((s) => ({
          id: `inactive:${s.id}`,
          staffId: s.id,
          from: Number.NEGATIVE_INFINITY,
          to: Number.POSITIVE_INFINITY,
        })),
    ],
  };
  return {
    centers,
    positionNames: new Map(
      positions.map((p) => [
        positionKey(p.center_id, p.code),
        { vi: p.name_vi, en: p.name_en, order: p.sort_order },
      ]),
    ),
    staff: new Map(
      staff
        .filter((s) => s.active)
        .map((s) => [
          s.id,
          {
            id: s.id,
            fullName: s.full_name,
            publicPhone: s.public_phone,
            ...(options.withPersonalPhone ? { personalPhone: s.personal_phone } : {}),
          },
        ]),
    ),
    data,
  };
}
