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
  SwapRequest,
} from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, StreamPublisher } from '@frontline/spine';
import { DAY_MS, expandShifts, Shift } from '../../../../libs/roster/src';
import { loadRoster, RosterChecks } from '../../../../libs/roster-ops/src';
import type { Principal } from '../auth/token.service';
import { CenterRow, centerInJurisdiction } from './roster-access';

/** Who may change a roster (within their jurisdiction). */
const ROSTER_EDITORS: readonly Role[] = ['commander', 'admin'];
/** Officers may propose a trade of shifts; it changes nothing until the commander approves. */
const SWAP_PROPOSERS: readonly Role[] = ['commander', 'admin', 'duty-officer'];
const SWAP_APPROVERS: readonly Role[] = ['commander'];

type Change = 'override' | 'swap' | 'leave';

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
    return this.commitChange(center, 'override', caller, async (em) => {
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

  async approveSwap(swapId: string, caller: Principal): Promise<RosterChangeResponse> {
    const rows = (await this.dataSource.query(
      `SELECT center_id, status FROM duty_swaps WHERE id = $1`,
      [swapId],
    )) as {
      center_id: string;
      status: string;
    }[];
    if (!rows.length) throw new NotFoundException(`no swap with id "${swapId}"`);
    const center = await centerInJurisdiction(
      this.dataSource,
      rows[0].center_id,
      caller,
      'params.id',
    );
    this.requireRole(caller, SWAP_APPROVERS, 'approve shift swaps (the commander approves)');
    const answer = await this.commitChange(center, 'swap', caller, async (em) => {
      const updated = (await em.query(
        `WITH approved AS (UPDATE duty_swaps SET status = 'approved', approved_by = $2, approved_at = now()
         WHERE id = $1 AND status = 'proposed' RETURNING id)
         SELECT id FROM approved`,
        [swapId, caller.userId],
      )) as { id: string }[];
      if (!updated.length)
        throw new ConflictException(`swap ${swapId} is not awaiting approval (${rows[0].status})`);
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
    return this.commitChange(center, 'leave', caller, async (em) => {
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

  /** Row + `roster.changed` in one transaction, publish, then recompute the center's gaps. */
  private async commitChange(
    center: CenterRow,
    change: Change,
    caller: Principal,
    write: (em: EntityManager) => Promise<string | { existing: string }>,
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
              payload: { centerId: center.id, change, recordId: written },
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
      { actor: caller.userId, centerId: center.id, change, recordId: outcome.id, published },
      'roster changed',
    );
    const gaps = await this.checks.recomputeGaps(Date.now(), [center.id]);
    if (gaps.detected || gaps.closed)
      this.logger.info({ centerId: center.id, ...gaps }, 'coverage gaps updated');
    return { id: outcome.id, eventId: outcome.created[0].id };
  }
}
