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
import { EventStore, LOGGER, StreamPublisher } from '@frontline/spine';
import { DAY_MS, expandShifts, HOUR_MS, Shift } from '@frontline/roster';
import { loadRoster } from '@frontline/roster-ops';
import type { Principal } from '../auth/token.service';
import { CenterRow, centerInJurisdiction, linkedStaffId } from './roster-access';

/** A shift may still be handed over this long after it ended. */
const HANDOVER_GRACE_MS = HOUR_MS;
const MAX_LISTED_REPORTS = 100;

interface HandoverRow {
  id: string;
  center_id: string;
  unit_code: string;
  position_code: string;
  shift_start: Date;
  outgoing_staff_id: string;
  note: string | null;
  digest: HandoverDigest;
  created_at: Date;
  signed_by_staff_id: string | null;
  signed_at: Date | null;
}

const SELECT_HANDOVER = `SELECT h.id, h.center_id, c.unit_code, h.position_code, h.shift_start, h.outgoing_staff_id, h.note,
       h.digest, h.created_at, h.signed_by_staff_id, h.signed_at
FROM shift_handovers h JOIN command_centers c ON c.id = h.center_id`;

/**
 * Shift handover: the outgoing officer writes it (with a digest of what is open: urgent reports
 * not acknowledged in the unit's subtree, F0 since the last handover, coverage gaps ahead), the
 * incoming officer signs it, which emits `shift.handed-over`.
 */
@Injectable()
export class HandoverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(
    body: HandoverRequest,
    caller: Principal,
  ): Promise<{ created: boolean; handover: HandoverResponse }> {
    const center = await centerInJurisdiction(
      this.dataSource,
      body.centerId,
      caller,
      'body.centerId',
    );
    const staffId = await linkedStaffId(this.dataSource, center.id, caller.userId);
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
    const existing = await this.find(
      `WHERE h.center_id = $1 AND h.position_code = $2 AND h.shift_start = $3 AND h.outgoing_staff_id = $4`,
      [center.id, body.position, new Date(shift.start), staffId],
    );
    if (existing) return { created: false, handover: existing };

    const digest = await this.digest(center, body.position, shift, now);
    const [{ id }] = (await this.dataSource.query(
      `INSERT INTO shift_handovers (center_id, position_code, shift_start, outgoing_staff_id, outgoing_user_id, note, digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (center_id, position_code, shift_start, outgoing_staff_id) DO UPDATE SET note = shift_handovers.note
       RETURNING id`,
      [
        center.id,
        body.position,
        new Date(shift.start),
        staffId,
        caller.userId,
        body.note ?? null,
        JSON.stringify(digest),
      ],
    )) as { id: string }[];
    return { created: true, handover: (await this.find('WHERE h.id = $1', [id]))! };
  }

  async get(id: string, caller: Principal): Promise<HandoverResponse> {
    const handover = await this.find('WHERE h.id = $1', [id]);
    if (!handover) throw new NotFoundException(`no handover with id "${id}"`);
    await centerInJurisdiction(this.dataSource, handover.centerId, caller, 'params.id');
    return handover;
  }

  /** The incoming officer (on the next shift of the position) signs: `shift.handed-over`, once. */
  async sign(
    id: string,
    caller: Principal,
  ): Promise<{ created: boolean; handover: HandoverResponse }> {
    const handover = await this.get(id, caller);
    if (handover.signedAt) return { created: false, handover };
    const staffId = await linkedStaffId(this.dataSource, handover.centerId, caller.userId);
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
    const [center] = (await this.dataSource.query(
      `SELECT c.id, c.unit_code, u.path FROM command_centers c JOIN admin_units u ON u.code = c.unit_code WHERE c.id = $1`,
      [handover.centerId],
    )) as CenterRow[];
    const created = await this.dataSource.transaction(async (em) => {
      const signed = (await em.query(
        `WITH signed AS (UPDATE shift_handovers SET signed_by_staff_id = $2, signed_by_user_id = $3, signed_at = now()
         WHERE id = $1 AND signed_at IS NULL RETURNING id) SELECT id FROM signed`,
        [id, staffId, caller.userId],
      )) as { id: string }[];
      if (!signed.length) return [];
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
    if (created.length) {
      const published = await this.publisher.publish(created);
      this.logger.info({ actor: caller.userId, handoverId: id, published }, 'shift handed over');
    }
    const after = (await this.find('WHERE h.id = $1', [id]))!;
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
    const loaded = await loadRoster(this.dataSource, from, to, { centerIds: [centerId] });
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
    const [previous] = (await this.dataSource.query(
      `SELECT max(created_at) AS at FROM shift_handovers WHERE center_id = $1 AND position_code = $2`,
      [center.id, position],
    )) as { at: Date | null }[];
    const since = previous?.at ?? new Date(shift.start);
    const [reports, f0, gaps] = await Promise.all([
      this.dataSource.query(
        `SELECT report_id, unit_code, category, received_at FROM urgent_reports
         WHERE unit_path @> ARRAY[$1]::text[] AND acknowledged_at IS NULL AND NOT drill
         ORDER BY received_at LIMIT ${MAX_LISTED_REPORTS}`,
        [center.unit_code],
      ) as Promise<{ report_id: string; unit_code: string; category: string; received_at: Date }[]>,
      this.dataSource.query(
        `SELECT unit_code, count(*)::int AS n FROM event_log
         WHERE type = 'case.confirmed' AND NOT drill AND unit_path @> ARRAY[$1]::text[] AND recorded_at > $2
         GROUP BY unit_code ORDER BY unit_code`,
        [center.unit_code, since],
      ) as Promise<{ unit_code: string; n: number }[]>,
      this.dataSource.query(
        `SELECT position_code, starts_at, ends_at, required_count, present_count FROM coverage_gaps
         WHERE center_id = $1 AND state = 'open' AND ends_at > $2 ORDER BY starts_at, position_code`,
        [center.id, new Date(now)],
      ) as Promise<
        {
          position_code: string;
          starts_at: Date;
          ends_at: Date;
          required_count: number;
          present_count: number;
        }[]
      >,
    ]);
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

  private async find(where: string, params: unknown[]): Promise<HandoverResponse | null> {
    const rows = (await this.dataSource.query(
      `${SELECT_HANDOVER} ${where}`,
      params,
    )) as HandoverRow[];
    const h = rows[0];
    if (!h) return null;
    return {
      id: h.id,
      centerId: h.center_id,
      unit: h.unit_code,
      position: h.position_code,
      shiftStart: h.shift_start.toISOString(),
      outgoingStaffId: h.outgoing_staff_id,
      note: h.note,
      digest: h.digest,
      createdAt: h.created_at.toISOString(),
      signedByStaffId: h.signed_by_staff_id,
      signedAt: h.signed_at ? h.signed_at.toISOString() : null,
    };
  }
}
