import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { allows, CoverageGapsResponse, OnDutyCenter, OnDutyResponse } from '@frontline/contracts';
import { AuditService } from '@frontline/audit';
import { UnitDirectory } from '@frontline/spine';
import {
  coverageGaps,
  DAY_MS,
  HOUR_MS,
  nextBoundaries,
  onDutyAt,
} from '@frontline/roster';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { LoadedRoster, RosterRepository } from './roster.repository';

export interface OnDutyOptions {
  withPersonalPhone?: boolean;
  publicOnly?: boolean;
}

export interface AuditContext {
  caller: Principal;
  clientIp?: string | null;
  userAgent?: string | null;
}

/** How far ahead "the next shift change" is looked for. */
const NEXT_SHIFT_HORIZON_MS = 48 * HOUR_MS;

/**
 * Who is on duty: the one computation every module uses (the on-duty API, the public duty page,
 * later the coverage checks and escalations), built on the pure roster functions.
 */
@Injectable()
export class RosterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RosterRepository,
    private readonly units: UnitDirectory,
    private readonly audit: AuditService,
  ) {}

  /** Per command center of `unitCode` (the unit itself, not its subtree) and position: who is on duty at `at`. */
  async onDuty(unitCode: string, at: Date, options: OnDutyOptions = {}): Promise<OnDutyCenter[]> {
    const loaded = await this.repository.load(at.getTime(), at.getTime() + NEXT_SHIFT_HORIZON_MS, {
      unitCodes: [unitCode],
      publicOnly: options.publicOnly,
      withPersonalPhone: options.withPersonalPhone,
    });
    return RosterService.board(loaded, at.getTime());
  }

  /** The on-duty answer for every (public) center at once: what the public page shows. */
  async onDutyEverywhere(
    at: Date,
    options: OnDutyOptions = {},
  ): Promise<{ loaded: LoadedRoster; centers: OnDutyCenter[] }> {
    const loaded = await this.repository.load(
      at.getTime(),
      at.getTime() + NEXT_SHIFT_HORIZON_MS,
      options,
    );
    return { loaded, centers: RosterService.board(loaded, at.getTime()) };
  }

  /**
   * The REST answer: scoped to the caller's jurisdiction (404 unknown unit, 403 outside it);
   * personal phones only for commanders and admins, each person's read written to the audit log
   * in the same transaction as the read.
   */
  async onDutyFor(
    caller: Principal,
    unitCode: string,
    at: Date,
    ctx: Omit<AuditContext, 'caller'> = {},
  ): Promise<OnDutyResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    // Each read of a personal phone is audited.
    const withPersonalPhone = allows(caller.role, 'roster.personal-phones');
    if (!withPersonalPhone) {
      return { unit: unit.code, at: at.toISOString(), centers: await this.onDuty(unit.code, at) };
    }
    return this.dataSource.transaction(async (manager) => {
      const loaded = await this.repository.load(
        at.getTime(),
        at.getTime() + NEXT_SHIFT_HORIZON_MS,
        { unitCodes: [unit.code], withPersonalPhone },
        manager,
      );
      const centers = RosterService.board(loaded, at.getTime());
      const people = new Set(
        centers.flatMap((c) =>
          c.positions.flatMap((p) => p.people.filter((x) => x.personalPhone).map((x) => x.staffId)),
        ),
      );
      await this.audit.record(
        [...people].map((staffId) => ({
          actor: { userId: caller.userId, username: caller.username, role: caller.role },
          action: 'read' as const,
          recordType: 'duty-staff',
          recordId: staffId,
          fields: ['personalPhone'],
          unitCode: unit.code,
          clientIp: ctx.clientIp ?? null,
          userAgent: ctx.userAgent ?? null,
        })),
        manager,
      );
      return { unit: unit.code, at: at.toISOString(), centers };
    });
  }

  /**
   * Coverage gaps of every center in the unit's subtree over the next `days` days from `from`:
   * one record per uninterrupted stretch with fewer people than the position requires.
   */
  async gapsFor(
    caller: Principal,
    unitCode: string,
    from: Date,
    days: number,
  ): Promise<CoverageGapsResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const start = from.getTime();
    const end = start + days * DAY_MS;
    const unitCodes = this.units.subtree(unit.code).map((u) => u.code);
    const loaded = await this.repository.load(start, end, { unitCodes });
    const unitOf = new Map(loaded.centers.map((c) => [c.id, c.unitCode]));
    return {
      unit: unit.code,
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      gaps: coverageGaps(loaded.data, start, end).map((g) => ({
        centerId: g.centerId,
        unit: unitOf.get(g.centerId) ?? unit.code,
        position: g.position,
        from: new Date(g.from).toISOString(),
        to: new Date(g.to).toISOString(),
        requiredCount: g.requiredCount,
        staffed: g.staffed,
      })),
    };
  }

  static board(loaded: LoadedRoster, at: number): OnDutyCenter[] {
    const entries = onDutyAt(loaded.data, at);
    const boundaries = nextBoundaries(loaded.data, at, NEXT_SHIFT_HORIZON_MS);
    return loaded.centers.map((center): OnDutyCenter => {
      const next = boundaries.get(center.id) ?? null;
      const positions = entries
        .filter((e) => e.centerId === center.id)
        .map((e) => ({
          e,
          name: loaded.positionNames.get(RosterRepository.positionKey(center.id, e.position)),
        }))
        .sort(
          (a, b) =>
            (a.name?.order ?? 0) - (b.name?.order ?? 0) || a.e.position.localeCompare(b.e.position),
        )
        .map(({ e, name }) => {
          const people = e.staffIds.flatMap((id) => {
            const s = loaded.staff.get(id);
            if (!s) return [];
            return [
              {
                staffId: s.id,
                fullName: s.fullName,
                publicPhone: s.publicPhone,
                ...('personalPhone' in s ? { personalPhone: s.personalPhone ?? null } : {}),
              },
            ];
          });
          const starts = e.shifts.map((s) => s.start);
          const ends = e.shifts.map((s) => s.end);
          return {
            position: e.position,
            name: name?.vi ?? e.position,
            requiredCount: e.requiredCount,
            understaffed: people.length < e.requiredCount,
            shiftStart: starts.length ? new Date(Math.min(...starts)).toISOString() : null,
            shiftEnd: ends.length ? new Date(Math.max(...ends)).toISOString() : null,
            specialDay: e.shifts.find((s) => s.specialDay)?.specialDay ?? null,
            people,
          };
        });
      return {
        centerId: center.id,
        unit: center.unitCode,
        name: center.name,
        hotline: center.hotline,
        positions,
        nextShiftAt: next === null ? null : new Date(next).toISOString(),
      };
    });
  }
}
