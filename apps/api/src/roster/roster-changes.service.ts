import {
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
  RosterChangeResponse,
  RotationRequest,
  RotationResponse,
  RotationUpdate,
  SpecialDayRequest,
  SpecialDayUpdate,
  SwapRequest,
} from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, UnitOfWork } from '@frontline/spine';
import {
  DAY_MS,
  expandShifts,
  localDateOf,
  localDateStart,
  Shift,
} from '@frontline/roster';
import { RosterChecks } from '@frontline/roster-ops';
import type { Principal } from '../auth/token.service';
import { fieldError } from '../common/validation';
import { CenterRow, centerInJurisdiction } from './roster-access';
import { RosterChangesRepository } from './roster-changes.repository';
import { RosterRepository } from './roster.repository';

type Change = 'override' | 'swap' | 'leave' | 'rotation' | 'special-day';
type Action = 'created' | 'updated' | 'approved' | 'rejected';

/** The previous local date. */
function dayBefore(date: string): string {
  return localDateOf(localDateStart(date) - DAY_MS);
}

/**
 * Roster editing: each change commits its row and a `roster.changed` event (author: the caller)
 * in one transaction and publishes it; the worker then recomputes the center's coverage gaps
 * (which raises `coverage.gap-detected` / `coverage.gap-closed`).
 */
@Injectable()
export class RosterChangesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly roster: RosterRepository,
    private readonly changes: RosterChangesRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly checks: RosterChecks,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async createOverride(body: OverrideRequest, caller: Principal): Promise<RosterChangeResponse> {
    const center = await centerInJurisdiction(this.roster,
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
      throw fieldError('body.outStaffId', 'is not on that shift');
    }
    return this.commitChange(center, 'override', caller, 'created', async (em) => {
      return this.changes.insertOverride(em, {
        centerId: center.id,
        position: body.position,
        shiftStart: new Date(start),
        outStaffId: body.outStaffId ?? null,
        inStaffId: body.inStaffId,
        reason: body.reason ?? null,
        createdBy: caller.userId,
      });
    });
  }

  async proposeSwap(body: SwapRequest, caller: Principal): Promise<RosterChangeResponse> {
    const center = await centerInJurisdiction(this.roster,
      body.centerId,
      caller,
      'body.centerId',
    );
    if (body.staffA === body.staffB) throw fieldError('body.staffB', 'must differ from staffA');
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
    if (!a.staffIds.includes(body.staffA)) throw fieldError('body.staffA', 'is not on shift A');
    if (!b.staffIds.includes(body.staffB)) throw fieldError('body.staffB', 'is not on shift B');
    const id = await this.changes.insertSwap({
      centerId: center.id,
      staffA: body.staffA,
      positionA: body.positionA,
      shiftStartA: new Date(a.start),
      staffB: body.staffB,
      positionB: body.positionB,
      shiftStartB: new Date(b.start),
      reason: body.reason ?? null,
    });
    // A proposal changes nobody's duty: no roster.changed until it is approved.
    return { id, eventId: null, status: 'proposed' };
  }

  /** A swap a commander is about to decide on: 404 unknown, 403 outside the caller's jurisdiction or role. */
  private async swapToDecide(swapId: string, caller: Principal) {
    const swap = await this.changes.swap(swapId);
    if (!swap) throw new NotFoundException(`no swap with id "${swapId}"`);
    const center = await centerInJurisdiction(this.roster, swap.centerId, caller, 'params.id');
    return { center, status: swap.status };
  }

  async approveSwap(swapId: string, caller: Principal): Promise<RosterChangeResponse> {
    const { center, status } = await this.swapToDecide(swapId, caller);
    const answer = await this.commitChange(center, 'swap', caller, 'approved', async (em) => {
      const decided = await this.changes.decideSwap(em, swapId, { status: 'approved', by: caller.userId });
      if (!decided)
        throw new ConflictException(`swap ${swapId} is not awaiting approval (${status})`);
      return swapId;
    });
    return { ...answer, status: 'approved' };
  }

  async recordLeave(body: LeaveRequest, caller: Principal): Promise<RosterChangeResponse> {
    const staffCenter = await this.roster.centerOfStaff(body.staffId);
    if (!staffCenter) throw fieldError('body.staffId', `no duty staff with id "${body.staffId}"`);
    const center = await centerInJurisdiction(this.roster,
      staffCenter,
      caller,
      'body.staffId',
    );
    const from = new Date(body.from);
    const to = new Date(body.to);
    // The same leave recorded again is the same fact: answered, not repeated.
    const same = await this.changes.findLeave(body.staffId, from, to);
    if (same) return { id: same, eventId: null, alreadyRecorded: true };
    return this.commitChange(center, 'leave', caller, 'created', async (em) => {
      // Serialises two identical requests racing past the check above.
      await this.changes.lockLeaveOf(em, body.staffId);
      const again = await this.changes.findLeave(body.staffId, from, to, em);
      if (again) return { existing: again };
      return this.changes.insertLeave(em, body.staffId, from, to, body.reason ?? null);
    });
  }

  async checkIn(body: CheckInRequest, caller: Principal): Promise<CheckInResponse> {
    const center = await centerInJurisdiction(this.roster,
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
    const { center, status } = await this.swapToDecide(swapId, caller);
    const answer = await this.commitChange(
      center,
      'swap',
      caller,
      'rejected',
      async (em) => {
        const decided = await this.changes.decideSwap(em, swapId, {
          status: 'rejected',
          by: caller.userId,
          reason: reason ?? null,
        });
        if (!decided)
          throw new ConflictException(`swap ${swapId} is not awaiting a decision (${status})`);
        return swapId;
      },
    );
    return { ...answer, status: 'rejected' };
  }

  /** A new rotation (regular, or the pattern of one special day): 409 when it overlaps one of the same position. */
  async createRotation(body: RotationRequest, caller: Principal): Promise<RosterChangeResponse> {
    const center = await centerInJurisdiction(this.roster,
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
      throw fieldError('body.perShift', 'cannot exceed the number of people in staffIds');
    const from = validFrom!;
    await this.refuseOverlap(center.id, body.position, specialDayId, from, validTo, null);
    return this.commitChange(center, 'rotation', caller, 'created', async (em) => {
      return this.changes.insertRotation(em, {
        centerId: center.id,
        position: body.position,
        shiftHours: body.shiftHours,
        anchor: body.anchor,
        staffIds: body.staffIds,
        perShift: body.perShift,
        validFrom: from,
        validTo,
        specialDayId,
        createdBy: caller.userId,
      });
    });
  }

  async getRotation(id: string, caller: Principal): Promise<RotationResponse> {
    const row = await this.rotation(id);
    await centerInJurisdiction(this.roster, row.centerId, caller, 'params.id');
    return row;
  }

  /** Rotations of one center (jurisdiction), oldest first, ended ones included: the history of its pattern. */
  async listRotations(centerId: string, caller: Principal): Promise<RotationResponse[]> {
    const center = await centerInJurisdiction(this.roster, centerId, caller, 'query.centerId');
    return this.changes.rotationsOf(center.id);
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
    const center = await centerInJurisdiction(this.roster, old.centerId, caller, 'params.id');
    const today = localDateOf(Date.now());
    if (body.effectiveFrom < today)
      throw fieldError(
        'body.effectiveFrom',
        `must be today (${today}) or later: past shifts are history`,
      );
    if (old.validTo !== null && old.validTo < body.effectiveFrom) {
      throw new ConflictException(
        `body.effectiveFrom: rotation ${id} ended on ${old.validTo}, before ${body.effectiveFrom}`,
      );
    }
    if (old.specialDayId && (body.validTo !== undefined || body.effectiveFrom > old.validFrom))
      throw fieldError(
        'body.effectiveFrom',
        'a special day rotation is changed as a whole, on its day',
      );
    if (body.staffIds) await this.requireStaffList(center.id, body.staffIds, 'body.staffIds');
    const next = {
      shiftHours: body.shiftHours ?? old.shiftHours,
      anchor: body.anchor ?? old.anchor,
      staffIds: body.staffIds ?? old.staffIds,
      perShift: body.perShift ?? old.perShift,
      validTo: body.validTo !== undefined ? body.validTo : old.validTo,
    };
    if (next.perShift > next.staffIds.length)
      throw fieldError('body.perShift', 'cannot exceed the number of people in staffIds');
    if (next.validTo !== null && next.validTo < body.effectiveFrom)
      throw fieldError('body.validTo', 'must not be before effectiveFrom');
    // Not started before effectiveFrom: nothing of it is history yet.
    const inPlace = old.validFrom >= body.effectiveFrom;
    const from = inPlace ? old.validFrom : body.effectiveFrom;
    await this.refuseOverlap(
      center.id,
      old.position,
      old.specialDayId,
      from,
      next.validTo,
      id,
    );
    let replacedId: string | undefined;
    const answer = await this.commitChange(center, 'rotation', caller, 'updated', async (em) => {
      // Serialises two edits of the same rotation.
      const locked = await this.changes.lockRotation(em, id);
      if (!locked || locked.validTo !== old.validTo)
        throw new ConflictException(`rotation ${id} changed meanwhile: read it again`);
      if (inPlace) {
        await this.changes.updateRotation(em, id, next);
        return id;
      }
      await this.changes.endRotation(em, id, dayBefore(body.effectiveFrom));
      replacedId = id;
      return this.changes.insertRotation(em, {
        ...next,
        centerId: center.id,
        position: old.position,
        validFrom: body.effectiveFrom,
        specialDayId: old.specialDayId,
        createdBy: caller.userId,
      });
    });
    return replacedId ? { ...answer, replacedId } : answer;
  }

  /** A holiday of one center (Tết, 2/9); its own pattern comes as rotations with `specialDayId`. */
  async createSpecialDay(
    body: SpecialDayRequest,
    caller: Principal,
  ): Promise<RosterChangeResponse> {
    const center = await centerInJurisdiction(this.roster,
      body.centerId,
      caller,
      'body.centerId',
    );
    await this.refuseSameDay(center.id, body.date, null);
    return this.commitChange(center, 'special-day', caller, 'created', async (em) => {
      const id = await this.changes.insertSpecialDay(em, center.id, body.date, body.name, caller.userId);
      if (!id)
        throw new ConflictException(
          `body.date: ${body.date} is already a special day of this center`,
        );
      return id;
    });
  }

  /** Rename or move a holiday that has not passed (its rotations move with it). */
  async updateSpecialDay(
    id: string,
    body: SpecialDayUpdate,
    caller: Principal,
  ): Promise<RosterChangeResponse> {
    const day = await this.changes.specialDay(id);
    if (!day) throw new NotFoundException(`no special day with id "${id}"`);
    if (!day.centerId)
      throw new ForbiddenException(
        'a special day of every center is changed by the administrators only (seed)',
      );
    const center = await centerInJurisdiction(this.roster,
      day.centerId,
      caller,
      'params.id',
    );
    const today = localDateOf(Date.now());
    if (body.date !== undefined && (day.day < today || body.date < today)) {
      throw new ConflictException(
        `body.date: a special day that has passed, or a date in the past, would rewrite history`,
      );
    }
    if (body.date !== undefined && body.date !== day.day)
      await this.refuseSameDay(center.id, body.date, id);
    return this.commitChange(center, 'special-day', caller, 'updated', async (em) => {
      await this.changes.updateSpecialDay(em, id, { date: body.date, name: body.name });
      return id;
    });
  }

  private async rotation(id: string): Promise<RotationResponse> {
    const row = await this.changes.rotation(id);
    if (!row) throw new NotFoundException(`no rotation with id "${id}"`);
    return row;
  }

  private async requirePosition(centerId: string, position: string, field: string): Promise<void> {
    if (!(await this.roster.hasPosition(centerId, position))) throw fieldError(field, `this center has no position "${position}"`);
  }

  private async requireStaffList(centerId: string, ids: string[], field: string): Promise<void> {
    if (new Set(ids).size !== ids.length) throw fieldError(field, 'lists someone twice');
    const known = await this.roster.staffOfCenter(centerId, ids, true);
    const i = ids.findIndex((x) => !known.has(x));
    if (i >= 0)
      throw fieldError(
        `${field}.${i}`,
        `no active person with id "${ids[i]}" on the staff of this center`,
      );
  }

  private async specialDayOf(
    centerId: string,
    id: string,
    field: string,
  ): Promise<{ id: string; day: string }> {
    const day = await this.changes.specialDayOf(centerId, id);
    if (!day) throw fieldError(field, `no special day "${id}" for this center`);
    return day;
  }

  private async refuseSameDay(
    centerId: string,
    date: string,
    except: string | null,
  ): Promise<void> {
    const existing = await this.changes.specialDayOn(centerId, date, except);
    if (existing)
      throw new ConflictException(
        `body.date: ${date} is already a special day of this center (${existing})`,
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
    const holder = await this.changes.overlappingRotation(centerId, position, specialDayId, from, to, except);
    if (holder) {
      throw new ConflictException(
        `rotation ${holder} already holds ${position} on these dates: end it (PATCH with validTo) or change it instead`,
      );
    }
  }


  private async requireStaff(centerId: string, byField: Record<string, string>): Promise<void> {
    const ids = Object.values(byField);
    const known = await this.roster.staffOfCenter(centerId, ids, false);
    for (const [field, id] of Object.entries(byField)) {
      if (!known.has(id))
        throw fieldError(field, `no one with id "${id}" on the staff of this center`);
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
    const loaded = await this.roster.load(start, start + 1, { centerIds: [centerId] });
    if (!loaded.data.positions.some((p) => p.code === position)) {
      throw fieldError(`${prefix}.position${suffix}`, `this center has no position "${position}"`);
    }
    const shift = expandShifts(loaded.data, start - DAY_MS, start + 1).find(
      (s) => s.centerId === centerId && s.position === position && s.start === start,
    );
    if (!shift)
      throw fieldError(
        `${prefix}.shiftStart${suffix}`,
        `no ${position} shift starts at ${new Date(start).toISOString()}`,
      );
    return shift;
  }

  /**
   * Row + `roster.changed` (with its author and action) in one unit of work. The center's gaps
   * are rechecked by the worker, from the committed event (follow-up-jobs consumer).
   */
  private async commitChange(
    center: CenterRow,
    change: Change,
    caller: Principal,
    action: Action,
    write: (em: EntityManager) => Promise<string | { existing: string }>,
  ): Promise<RosterChangeResponse> {
    const actor = `user:${caller.userId}`;
    const outcome = await this.unitOfWork.run(async (em) => {
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
    this.logger.info(
      {
        actor: caller.userId,
        centerId: center.id,
        change,
        action,
        recordId: outcome.id,
      },
      'roster changed',
    );
    return { id: outcome.id, eventId: outcome.created[0].id };
  }
}
