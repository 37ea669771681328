import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type {
  CheckInRequest,
  CheckInResponse,
  LeaveRequest,
  OverrideRequest,
  Role,
  RosterChangeResponse,
  RotationRequest,
  RotationResponse,
  RotationUpdate,
  SpecialDayRequest,
  SpecialDayUpdate,
  SwapRequest,
} from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, StreamPublisher } from '@frontline/spine';
import {
  DAY_MS,
  expandShifts,
  localDateOf,
  localDateStart,
  Shift,
} from '@frontline/roster';
import { loadRoster, RosterChecks, SELECT_ROTATION } from '@frontline/roster-ops';
import type { RotationRow } from '@frontline/roster-ops';
import type { Principal } from '../auth/token.service';
import { CenterRow, centerInJurisdiction } from './roster-access';

/** Who may change a roster (within their jurisdiction). */
const ROSTER_EDITORS: readonly Role[] = ['commander', 'admin'];
/** Officers may propose a trade of shifts; it changes nothing until the commander approves. */
const SWAP_PROPOSERS: readonly Role[] = ['commander', 'admin', 'duty-officer'];
const SWAP_APPROVERS: readonly Role[] = ['commander'];

type Change = 'override' | 'swap' | 'leave' | 'rotation' | 'special-day';
type Action = 'created' | 'updated' | 'approved' | 'rejected';

function rotationOut(r: RotationRow): RotationResponse {
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

/** The previous local date. */
function dayBefore(date: string): string {
  return localDateOf(localDateStart(date) - DAY_MS);
}

function badField(path: string, message: string): BadRequestException {
  return new BadRequestException({ message: `${path}: ${message}`, details: [{ path, message }] });
}

/**
 * Roster editing: each change commits its row and a `roster.changed` event (author: the caller)
 * in one transaction, publishes it, then recomputes the center's coverage gaps (which raises
 * `coverage.gap-detected` / `coverage.gap-closed`).
 */
@Injectable()
export class RosterChangesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly checks: RosterChecks,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async createOverride(body: OverrideRequest, caller: Principal): Promise<RosterChangeResponse> {
    this.requireRole(caller, ROSTER_EDITORS, 'change rosters');
    const center = await centerInJurisdiction(
      this.dataSource,
      body.centerId,
      caller,
      'body.centerId',
    );
    const start = Date.parse(body.shiftStart);
    await this.requireStaff(center.id, {
      'body.inStaffId': body.inStaffId,
      ...(body.outStaffId ? { 'body.outStaffId': body.outStaffId } : {}),
    });
    const shift = await this.requireShift(center.id, body.position, start, 'body');
    if (body.outStaffId && ![...shift.staffIds, ...shift.onLeave].includes(body.outStaffId)) {
      throw badField('body.outStaffId', 'is not on that shift');
    }
    return this.commitChange(center, 'override', caller, 'created', async (em) => {
      const [{ id }] = (await em.query(
        `INSERT INTO duty_overrides (center_id, position_code, shift_start, out_staff_id, in_staff_id, reason, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          center.id,
          body.position,
          new Date(start),
          body.outStaffId ?? null,
          body.inStaffId,
          body.reason ?? null,
          caller.userId,
        ],
      )) as { id: string }[];
      return id;
    });
  }

  async proposeSwap(body: SwapRequest, caller: Principal): Promise<RosterChangeResponse> {
    this.requireRole(caller, SWAP_PROPOSERS, 'propose shift swaps');
    const center = await centerInJurisdiction(
      this.dataSource,
      body.centerId,
      caller,
      'body.centerId',
    );
    if (body.staffA === body.staffB) throw badField('body.staffB', 'must differ from staffA');
    await this.requireStaff(center.id, { 'body.staffA': body.staffA, 'body.staffB': body.staffB });
    const a = await this.requireShift(
      center.id,
      body.positionA,
      Date.parse(body.shiftStartA),
      'body',
      'A',
    );
    const b = await this.requireShift(
      center.id,
      body.positionB,
      Date.parse(body.shiftStartB),
      'body',
      'B',
    );
    if (!a.staffIds.includes(body.staffA)) throw badField('body.staffA', 'is not on shift A');
    if (!b.staffIds.includes(body.staffB)) throw badField('body.staffB', 'is not on shift B');
    const [{ id }] = (await this.dataSource.query(
      `INSERT INTO duty_swaps (center_id, staff_a, position_a, shift_start_a, staff_b, position_b, shift_start_b, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        center.id,
        body.staffA,
        body.positionA,
        new Date(a.start),
        body.staffB,
        body.positionB,
        new Date(b.start),
        body.reason ?? null,
      ],
    )) as { id: string }[];
    // A proposal changes nobody's duty: no roster.changed until it is approved.
    return { id, eventId: null, status: 'proposed' };
  }

  /** A swap a commander is about to decide on: 404 unknown, 403 outside the caller's jurisdiction or role. */
  private async swapToDecide(swapId: string, caller: Principal, deed: string) {
    const rows = (await this.dataSource.query(
      `SELECT center_id, status FROM duty_swaps WHERE id = $1`,
      [swapId],
    )) as { center_id: string; status: string }[];
    if (!rows.length) throw new NotFoundException(`no swap with id "${swapId}"`);
    const center = await centerInJurisdiction(
      this.dataSource,
      rows[0].center_id,
      caller,
      'params.id',
    );
    this.requireRole(caller, SWAP_APPROVERS, deed);
    return { center, status: rows[0].status };
  }

  async approveSwap(swapId: string, caller: Principal): Promise<RosterChangeResponse> {
    const { center, status } = await this.swapToDecide(
      swapId,
      caller,
      'approve shift swaps (the commander approves)',
    );
    const answer = await this.commitChange(center, 'swap', caller, 'approved', async (em) => {
      const updated = (await em.query(
        `WITH approved AS (UPDATE duty_swaps SET status = 'approved', approved_by = $2, approved_at = now()
         WHERE id = $1 AND status = 'proposed' RETURNING id)
         SELECT id FROM approved`,
        [swapId, caller.userId],
      )) as { id: string }[];
      if (!updated.length)
        throw new ConflictException(`swap ${swapId} is not awaiting approval (${status})`);
      return swapId;
    });
    return { ...answer, status: 'approved' };
  }

  async recordLeave(body: LeaveRequest, caller: Principal): Promise<RosterChangeResponse> {
    this.requireRole(caller, ROSTER_EDITORS, 'change rosters');
    const staff = (await this.dataSource.query(`SELECT center_id FROM duty_staff WHERE id = $1`, [
      body.staffId,
    ])) as {
      center_id: string;
    }[];
    if (!staff.length) throw badField('body.staffId', `no duty staff with id "${body.staffId}"`);
    const center = await centerInJurisdiction(
      this.dataSource,
      staff[0].center_id,
      caller,
      'body.staffId',
    );
    const from = new Date(body.from);
    const to = new Date(body.to);
    // The same leave recorded again is the same fact: answered, not repeated.
    const same = (await this.dataSource.query(
      `SELECT id FROM duty_leave WHERE staff_id = $1 AND starts_at = $2 AND ends_at = $3`,
      [body.staffId, from, to],
    )) as { id: string }[];
    if (same.length) return { id: same[0].id, eventId: null, alreadyRecorded: true };
    return this.commitChange(center, 'leave', caller, 'created', async (em) => {
      // Serialises two identical requests racing past the check above.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('frontline:leave:' || $1))`, [
        body.staffId,
      ]);
      const again = (await em.query(
        `SELECT id FROM duty_leave WHERE staff_id = $1 AND starts_at = $2 AND ends_at = $3`,
        [body.staffId, from, to],
      )) as { id: string }[];
      if (again.length) return { existing: again[0].id };
      const [{ id }] = (await em.query(
        `INSERT INTO duty_leave (staff_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
        [body.staffId, from, to, body.reason ?? null],
      )) as { id: string }[];
      return id;
    });
  }

  async checkIn(body: CheckInRequest, caller: Principal): Promise<CheckInResponse> {
    const center = await centerInJurisdiction(
      this.dataSource,
      body.centerId,
      caller,
      'body.centerId',
    );
    const result = await this.checks.checkIn(
      caller.userId,
      center.id,
      body.position,
      Date.now(),
      `user:${caller.userId}`,
    );
    if (!result.ok) {
      if (result.reason === 'not-linked') {
        throw new ForbiddenException(
          'your account is not linked to anyone on the staff of this center',
        );
      }
      throw new ConflictException(
        `body.position: you are not on a ${body.position} shift of this center now (check-in opens 30 minutes before the shift)`,
      );
    }
    return {
      centerId: center.id,
      position: body.position,
      staffId: result.staffId,
      shiftStart: result.shiftStart,
      alreadyCheckedIn: !result.created,
    };
  }

  /** Commander only: a proposed swap is turned down (`roster.changed`, action `rejected`); nobody's duty changes. */
  async rejectSwap(
    swapId: string,
    reason: string | undefined,
    caller: Principal,
  ): Promise<RosterChangeResponse> {
    const { center, status } = await this.swapToDecide(
      swapId,
      caller,
      'reject shift swaps (the commander decides)',
    );
    const answer = await this.commitChange(
      center,
      'swap',
      caller,
      'rejected',
      async (em) => {
        const updated = (await em.query(
          `WITH rejected AS (UPDATE duty_swaps SET status = 'rejected', rejected_by = $2, rejected_at = now(), reject_reason = $3
           WHERE id = $1 AND status = 'proposed' RETURNING id)
           SELECT id FROM rejected`,
          [swapId, caller.userId, reason ?? null],
        )) as { id: string }[];
        if (!updated.length)
          throw new ConflictException(`swap ${swapId} is not awaiting a decision (${status})`);
        return swapId;
      },
      false,
    );
    return { ...answer, status: 'rejected' };
  }

  /** A new rotation (regular, or the pattern of one special day): 409 when it overlaps one of the same position. */
  async createRotation(body: RotationRequest, caller: Principal): Promise<RosterChangeResponse> {
    this.requireRole(caller, ROSTER_EDITORS, 'change rosters');
    const center = await centerInJurisdiction(
      this.dataSource,
      body.centerId,
      caller,
      'body.centerId',
    );
    await this.requirePosition(center.id, body.position, 'body.position');
    await this.requireStaffList(center.id, body.staffIds, 'body.staffIds');
    let validFrom = body.validFrom;
    let validTo = body.validTo ?? null;
    const specialDayId = body.specialDayId ?? null;
    if (specialDayId) {
      const day = await this.specialDayOf(center.id, specialDayId, 'body.specialDayId');
      // A special day's rotation holds on that date only.
      validFrom = day.day;
      validTo = day.day;
    }
    if (body.perShift > body.staffIds.length)
      throw badField('body.perShift', 'cannot exceed the number of people in staffIds');
    const from = validFrom!;
    await this.refuseOverlap(center.id, body.position, specialDayId, from, validTo, null);
    return this.commitChange(center, 'rotation', caller, 'created', async (em) => {
      const [{ id }] = (await em.query(
        `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from, valid_to, special_day_id, created_by)
         VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10) RETURNING id`,
        [
          center.id,
          body.position,
          body.shiftHours,
          body.anchor,
          body.staffIds,
          body.perShift,
          from,
          validTo,
          specialDayId,
          caller.userId,
        ],
      )) as { id: string }[];
      return id;
    });
  }

  async getRotation(id: string, caller: Principal): Promise<RotationResponse> {
    const row = await this.rotation(id);
    await centerInJurisdiction(this.dataSource, row.center_id, caller, 'params.id');
    return rotationOut(row);
  }

  /** Rotations of one center (jurisdiction), oldest first, ended ones included: the history of its pattern. */
  async listRotations(centerId: string, caller: Principal): Promise<RotationResponse[]> {
    const center = await centerInJurisdiction(this.dataSource, centerId, caller, 'query.centerId');
    const rows = (await this.dataSource.query(
      `${SELECT_ROTATION} WHERE center_id = $1 ORDER BY position_code, valid_from, created_at`,
      [center.id],
    )) as RotationRow[];
    return rows.map(rotationOut);
  }

  /**
   * A rotation changed from `effectiveFrom` (today or later) on. One that already ran before
   * that date is closed the day before and replaced by a new row from that date: past shifts
   * keep the pattern they had. One that has not started yet is changed in place.
   */
  async updateRotation(
    id: string,
    body: RotationUpdate,
    caller: Principal,
  ): Promise<RosterChangeResponse> {
    const old = await this.rotation(id);
    const center = await centerInJurisdiction(this.dataSource, old.center_id, caller, 'params.id');
    this.requireRole(caller, ROSTER_EDITORS, 'change rosters');
    const today = localDateOf(Date.now());
    if (body.effectiveFrom < today)
      throw badField(
        'body.effectiveFrom',
        `must be today (${today}) or later: past shifts are history`,
      );
    if (old.valid_to !== null && old.valid_to < body.effectiveFrom) {
      throw new ConflictException(
        `body.effectiveFrom: rotation ${id} ended on ${old.valid_to}, before ${body.effectiveFrom}`,
      );
    }
    if (old.special_day_id && (body.validTo !== undefined || body.effectiveFrom > old.valid_from))
      throw badField(
        'body.effectiveFrom',
        'a special day rotation is changed as a whole, on its day',
      );
    if (body.staffIds) await this.requireStaffList(center.id, body.staffIds, 'body.staffIds');
    const next = {
      shiftHours: body.shiftHours ?? old.shift_hours,
      anchor: body.anchor ?? old.anchor,
      staffIds: body.staffIds ?? old.staff_ids,
      perShift: body.perShift ?? old.per_shift,
      validTo: body.validTo !== undefined ? body.validTo : old.valid_to,
    };
    if (next.perShift > next.staffIds.length)
      throw badField('body.perShift', 'cannot exceed the number of people in staffIds');
    if (next.validTo !== null && next.validTo < body.effectiveFrom)
      throw badField('body.validTo', 'must not be before effectiveFrom');
    // Not started before effectiveFrom: nothing of it is history yet.
    const inPlace = old.valid_from >= body.effectiveFrom;
    const from = inPlace ? old.valid_from : body.effectiveFrom;
    await this.refuseOverlap(
      center.id,
      old.position_code,
      old.special_day_id,
      from,
      next.validTo,
      id,
    );
    let replacedId: string | undefined;
    const answer = await this.commitChange(center, 'rotation', caller, 'updated', async (em) => {
      // Serialises two edits of the same rotation.
      const [locked] = (await em.query(
        `SELECT to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM duty_rotations WHERE id = $1 FOR UPDATE`,
        [id],
      )) as { valid_to: string | null }[];
      if (!locked || locked.valid_to !== old.valid_to)
        throw new ConflictException(`rotation ${id} changed meanwhile: read it again`);
      if (inPlace) {
        await em.query(
          `UPDATE duty_rotations SET shift_hours = $2, anchor_local = $3, staff_ids = $4::uuid[], per_shift = $5, valid_to = $6 WHERE id = $1`,
          [id, next.shiftHours, next.anchor, next.staffIds, next.perShift, next.validTo],
        );
        return id;
      }
      await em.query(`UPDATE duty_rotations SET valid_to = $2 WHERE id = $1`, [
        id,
        dayBefore(body.effectiveFrom),
      ]);
      replacedId = id;
      const [{ id: newId }] = (await em.query(
        `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from, valid_to, special_day_id, created_by)
         VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10) RETURNING id`,
        [
          center.id,
          old.position_code,
          next.shiftHours,
          next.anchor,
          next.staffIds,
          next.perShift,
          body.effectiveFrom,
          next.validTo,
          old.special_day_id,
          caller.userId,
        ],
      )) as { id: string }[];
      return newId;
    });
    return replacedId ? { ...answer, replacedId } : answer;
  }

  /** A holiday of one center (Tết, 2/9); its own pattern comes as rotations with `specialDayId`. */
  async createSpecialDay(
    body: SpecialDayRequest,
    caller: Principal,
  ): Promise<RosterChangeResponse> {
    this.requireRole(caller, ROSTER_EDITORS, 'change rosters');
    const center = await centerInJurisdiction(
      this.dataSource,
      body.centerId,
      caller,
      'body.centerId',
    );
    await this.refuseSameDay(center.id, body.date, null);
    return this.commitChange(center, 'special-day', caller, 'created', async (em) => {
      const rows = (await em.query(
        `INSERT INTO duty_special_days (center_id, day, name, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [center.id, body.date, body.name, caller.userId],
      )) as { id: string }[];
      if (!rows.length)
        throw new ConflictException(
          `body.date: ${body.date} is already a special day of this center`,
        );
      return rows[0].id;
    });
  }

  /** Rename or move a holiday that has not passed (its rotations move with it). */
  async updateSpecialDay(
    id: string,
    body: SpecialDayUpdate,
    caller: Principal,
  ): Promise<RosterChangeResponse> {
    const rows = (await this.dataSource.query(
      `SELECT center_id, to_char(day, 'YYYY-MM-DD') AS day FROM duty_special_days WHERE id = $1`,
      [id],
    )) as { center_id: string | null; day: string }[];
    if (!rows.length) throw new NotFoundException(`no special day with id "${id}"`);
    if (!rows[0].center_id)
      throw new ForbiddenException(
        'a special day of every center is changed by the administrators only (seed)',
      );
    const center = await centerInJurisdiction(
      this.dataSource,
      rows[0].center_id,
      caller,
      'params.id',
    );
    this.requireRole(caller, ROSTER_EDITORS, 'change rosters');
    const today = localDateOf(Date.now());
    if (body.date !== undefined && (rows[0].day < today || body.date < today)) {
      throw new ConflictException(
        `body.date: a special day that has passed, or a date in the past, would rewrite history`,
      );
    }
    if (body.date !== undefined && body.date !== rows[0].day)
      await this.refuseSameDay(center.id, body.date, id);
    return this.commitChange(center, 'special-day', caller, 'updated', async (em) => {
      await em.query(
        `UPDATE duty_special_days SET day = COALESCE($2::date, day), name = COALESCE($3, name) WHERE id = $1`,
        [id, body.date ?? null, body.name ?? null],
      );
      if (body.date !== undefined) {
        await em.query(
          `UPDATE duty_rotations SET valid_from = $2, valid_to = $2 WHERE special_day_id = $1`,
          [id, body.date],
        );
      }
      return id;
    });
  }

  private async rotation(id: string): Promise<RotationRow> {
    const rows = (await this.dataSource.query(`${SELECT_ROTATION} WHERE id = $1`, [
      id,
    ])) as RotationRow[];
    if (!rows.length) throw new NotFoundException(`no rotation with id "${id}"`);
    return rows[0];
  }

  private async requirePosition(centerId: string, position: string, field: string): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM duty_positions WHERE center_id = $1 AND code = $2`,
      [centerId, position],
    )) as unknown[];
    if (!rows.length) throw badField(field, `this center has no position "${position}"`);
  }

  private async requireStaffList(centerId: string, ids: string[], field: string): Promise<void> {
    if (new Set(ids).size !== ids.length) throw badField(field, 'lists someone twice');
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_staff WHERE center_id = $1 AND active AND id = ANY($2::uuid[])`,
      [centerId, ids],
    )) as { id: string }[];
    const known = new Set(rows.map((r) => r.id));
    const i = ids.findIndex((x) => !known.has(x));
    if (i >= 0)
      throw badField(
        `${field}.${i}`,
        `no active person with id "${ids[i]}" on the staff of this center`,
      );
  }

  private async specialDayOf(
    centerId: string,
    id: string,
    field: string,
  ): Promise<{ id: string; day: string }> {
    const rows = (await this.dataSource.query(
      `SELECT id, to_char(day, 'YYYY-MM-DD') AS day FROM duty_special_days
       WHERE id = $1 AND (center_id IS NULL OR center_id = $2)`,
      [id, centerId],
    )) as { id: string; day: string }[];
    if (!rows.length) throw badField(field, `no special day "${id}" for this center`);
    return rows[0];
  }

  private async refuseSameDay(
    centerId: string,
    date: string,
    except: string | null,
  ): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_special_days WHERE center_id = $1 AND day = $2 AND ($3::uuid IS NULL OR id <> $3)`,
      [centerId, date, except],
    )) as { id: string }[];
    if (rows.length)
      throw new ConflictException(
        `body.date: ${date} is already a special day of this center (${rows[0].id})`,
      );
  }

  /** 409 when another rotation of the same kind (regular, or the same special day) holds the position on an overlapping date. */
  private async refuseOverlap(
    centerId: string,
    position: string,
    specialDayId: string | null,
    from: string,
    to: string | null,
    except: string | null,
  ): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_rotations
       WHERE center_id = $1 AND position_code = $2 AND special_day_id IS NOT DISTINCT FROM $3::uuid
         AND ($6::uuid IS NULL OR id <> $6)
         AND (valid_to IS NULL OR valid_to >= $4::date) AND ($5::date IS NULL OR valid_from <= $5::date)
       LIMIT 1`,
      [centerId, position, specialDayId, from, to, except],
    )) as { id: string }[];
    if (rows.length) {
      throw new ConflictException(
        `rotation ${rows[0].id} already holds ${position} on these dates: end it (PATCH with validTo) or change it instead`,
      );
    }
  }

  private requireRole(caller: Principal, roles: readonly Role[], what: string): void {
    if (!roles.includes(caller.role))
      throw new ForbiddenException(`role ${caller.role} may not ${what}`);
  }

  private async requireStaff(centerId: string, byField: Record<string, string>): Promise<void> {
    const ids = Object.values(byField);
    const rows = (await this.dataSource.query(
      `SELECT id FROM duty_staff WHERE center_id = $1 AND id = ANY($2::uuid[])`,
      [centerId, ids],
    )) as { id: string }[];
    const known = new Set(rows.map((r) => r.id));
    for (const [field, id] of Object.entries(byField)) {
      if (!known.has(id))
        throw badField(field, `no one with id "${id}" on the staff of this center`);
    }
  }

  /** The computed shift of (center, position) starting exactly at `start`; 400 naming the field otherwise. */
  private async requireShift(
    centerId: string,
    position: string,
    start: number,
    prefix: string,
    suffix = '',
  ): Promise<Shift> {
    const loaded = await loadRoster(this.dataSource, start, start + 1, { centerIds: [centerId] });
    if (!loaded.data.positions.some((p) => p.code === position)) {
      throw badField(`${prefix}.position${suffix}`, `this center has no position "${position}"`);
    }
    const shift = expandShifts(loaded.data, start - DAY_MS, start + 1).find(
      (s) => s.centerId === centerId && s.position === position && s.start === start,
    );
    if (!shift)
      throw badField(
        `${prefix}.shiftStart${suffix}`,
        `no ${position} shift starts at ${new Date(start).toISOString()}`,
      );
    return shift;
  }

  /** Row + `roster.changed` (with its author and action) in one transaction, publish, then recompute the center's gaps. */
  private async commitChange(
    center: CenterRow,
    change: Change,
    caller: Principal,
    action: Action,
    write: (em: EntityManager) => Promise<string | { existing: string }>,
    recheck = true,
  ): Promise<RosterChangeResponse> {
    const actor = `user:${caller.userId}`;
    const outcome = await this.dataSource.transaction(async (em) => {
      const written = await write(em);
      if (typeof written !== 'string') return { id: written.existing, created: [] };
      const result = await this.store.append(
        [
          {
            input: {
              type: 'roster.changed',
              unit: center.unit_code,
              occurredAt: new Date().toISOString(),
              payload: { centerId: center.id, change, recordId: written, action },
            },
            unitPath: center.path,
          },
        ],
        actor,
        em,
      );
      return { id: written, created: result.created };
    });
    if (!outcome.created.length) return { id: outcome.id, eventId: null, alreadyRecorded: true };
    const published = await this.publisher.publish(outcome.created);
    this.logger.info(
      {
        actor: caller.userId,
        centerId: center.id,
        change,
        action,
        recordId: outcome.id,
        published,
      },
      'roster changed',
    );
    if (recheck) {
      const gaps = await this.checks.recomputeGaps(Date.now(), [center.id]);
      if (gaps.detected || gaps.closed)
        this.logger.info({ centerId: center.id, ...gaps }, 'coverage gaps updated');
    }
    return { id: outcome.id, eventId: outcome.created[0].id };
  }
}
