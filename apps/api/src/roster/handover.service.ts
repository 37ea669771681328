import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HandoverDigest, HandoverRequest, HandoverResponse } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, UnitOfWork } from '@frontline/spine';
import { DAY_MS, expandShifts, HOUR_MS, Shift } from '@frontline/roster';
import type { Principal } from '../auth/token.service';
import { HandoverRepository } from './handover.repository';
import { CenterRow, centerInJurisdiction } from './roster-access';
import { RosterRepository } from './roster.repository';

/** A shift may still be handed over this long after it ended. */
const HANDOVER_GRACE_MS = HOUR_MS;
/**
 * Shift handover: the outgoing officer writes it (with a digest of what is open: urgent reports
 * not acknowledged in the unit's subtree, F0 since the last handover, coverage gaps ahead), the
 * incoming officer signs it, which emits `shift.handed-over`.
 */
@Injectable()
export class HandoverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly roster: RosterRepository,
    private readonly handovers: HandoverRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(
    body: HandoverRequest,
    caller: Principal,
  ): Promise<{ created: boolean; handover: HandoverResponse }> {
    const center = await centerInJurisdiction(
      this.roster,
      body.centerId,
      caller,
      'body.centerId',
    );
    const staffId = await this.roster.linkedStaffId(center.id, caller.userId);
    if (!staffId) {
      throw new ForbiddenException(
        'your account is not linked to anyone on the staff of this center',
      );
    }
    const now = Date.now();
    const shift = (await this.shifts(center.id, body.position, now - DAY_MS, now + 1))
      .filter(
        (s) => s.staffIds.includes(staffId) && s.start <= now && now < s.end + HANDOVER_GRACE_MS,
      )
      .sort((a, b) => b.start - a.start)[0];
    if (!shift) {
      throw new ConflictException(
        `body.position: you are not on a ${body.position} shift of this center now (or within the hour after it)`,
      );
    }
    const key = { centerId: center.id, position: body.position, shiftStart: new Date(shift.start), outgoingStaffId: staffId };
    const existing = await this.handovers.findByKey(key);
    if (existing) return { created: false, handover: existing };

    const digest = await this.digest(center, body.position, shift, now);
    const id = await this.handovers.insert(key, caller.userId, body.note ?? null, digest);
    return { created: true, handover: (await this.handovers.find(id))! };
  }

  async get(id: string, caller: Principal): Promise<HandoverResponse> {
    const handover = await this.handovers.find(id);
    if (!handover) throw new NotFoundException(`no handover with id "${id}"`);
    await centerInJurisdiction(this.roster, handover.centerId, caller, 'params.id');
    return handover;
  }

  /** The incoming officer (on the next shift of the position) signs: `shift.handed-over`, once. */
  async sign(
    id: string,
    caller: Principal,
  ): Promise<{ created: boolean; handover: HandoverResponse }> {
    const handover = await this.get(id, caller);
    if (handover.signedAt) return { created: false, handover };
    const staffId = await this.roster.linkedStaffId(handover.centerId, caller.userId);
    if (!staffId) {
      throw new ForbiddenException(
        'your account is not linked to anyone on the staff of this center',
      );
    }
    if (staffId === handover.outgoingStaffId) {
      throw new ForbiddenException('the outgoing officer cannot sign their own handover');
    }
    const outgoingStart = Date.parse(handover.shiftStart);
    const [outgoing] = (
      await this.shifts(handover.centerId, handover.position, outgoingStart, outgoingStart + 1)
    ).filter((s) => s.start === outgoingStart);
    const incomingStart = outgoing ? outgoing.end : Number.NaN;
    const incoming = (
      await this.shifts(handover.centerId, handover.position, incomingStart, incomingStart + 1)
    ).find((s) => s.start === incomingStart && s.staffIds.includes(staffId));
    if (!incoming) {
      throw new ForbiddenException(
        'only an officer of the next shift of this position may sign the handover',
      );
    }
    const center = (await this.roster.center(handover.centerId))!;
    const created = await this.unitOfWork.run(async (em) => {
      if (!(await this.handovers.sign(em, id, staffId, caller.userId))) return [];
      const result = await this.store.append(
        [
          {
            input: {
              type: 'shift.handed-over',
              unit: center.unit_code,
              occurredAt: new Date().toISOString(),
              payload: {
                centerId: center.id,
                position: handover.position,
                shiftStart: handover.shiftStart,
                handoverId: id,
              },
            },
            unitPath: center.path,
          },
        ],
        `user:${caller.userId}`,
        em,
      );
      return result.created;
    });
    if (created.length) this.logger.info({ actor: caller.userId, handoverId: id }, 'shift handed over');
    const after = (await this.handovers.find(id))!;
    return {
      created: created.length > 0,
      handover: created.length ? { ...after, eventId: created[0].id } : after,
    };
  }

  private async shifts(
    centerId: string,
    position: string,
    from: number,
    to: number,
  ): Promise<Shift[]> {
    if (!Number.isFinite(from)) return [];
    const loaded = await this.roster.load(from, to, { centerIds: [centerId] });
    return expandShifts(loaded.data, from, to).filter(
      (s) => s.centerId === centerId && s.position === position,
    );
  }

  private async digest(
    center: CenterRow,
    position: string,
    shift: Shift,
    now: number,
  ): Promise<HandoverDigest> {
    const { since, reports, f0, gaps } = await this.handovers.digestRows(center, position, new Date(shift.start), new Date(now));
    return {
      generatedAt: new Date(now).toISOString(),
      since: since.toISOString(),
      openUrgentReports: reports.map((r) => ({
        reportId: r.report_id,
        unit: r.unit_code,
        category: r.category,
        receivedAt: r.received_at.toISOString(),
      })),
      newF0: {
        total: f0.reduce((sum, r) => sum + r.n, 0),
        byUnit: Object.fromEntries(f0.map((r) => [r.unit_code, r.n])),
      },
      coverageGapsAhead: gaps.map((g) => ({
        position: g.position_code,
        from: g.starts_at.toISOString(),
        to: g.ends_at.toISOString(),
        required: g.required_count,
        present: g.present_count,
      })),
    };
  }
}
