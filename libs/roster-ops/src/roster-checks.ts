import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventInput, StoredEvent } from '@frontline/contracts';
import type { AppendItem, EventStore, UnitOfWork } from '@frontline/spine';
import { coverageGaps, DAY_MS, expandShifts, HOUR_MS } from '@frontline/roster';
import { loadRoster } from './roster-loader';

const MINUTE_MS = 60_000;

/** How far ahead coverage gaps are looked for. */
export const GAP_HORIZON_MS = 14 * DAY_MS;
/** A gap starting within this much (or already started) is urgent. */
export const URGENT_WITHIN_MS = HOUR_MS;
/** A duty officer who has not checked in this long after the start of their shift is missing. */
export const MISSED_CHECK_IN_AFTER_MS = 10 * MINUTE_MS;
/** Check-in opens this long before the shift starts. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * MINUTE_MS;
/** The position whose people must check in. */
export const CHECK_IN_POSITION = 'duty-officer';
/** Actor of the events the roster checks raise themselves. */
export const ROSTER_SYSTEM_ACTOR = 'system:roster-checks';

interface CenterUnit {
  id: string;
  unit_code: string;
  path: string[];
}

interface GapRow {
  position_code: string;
  starts_at: Date;
  ends_at: Date;
  urgent_alerted: boolean;
}

export interface GapCheckResult {
  detected: number;
  closed: number;
}

export type CheckInResult =
  | { ok: true; created: boolean; staffId: string; shiftStart: string; eventId: string | null }
  | { ok: false; reason: 'not-linked' | 'not-on-shift' };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The roster checks both processes run (docs/decisions/0009-roster-alerts.md): coverage gaps
 * after a roster change (api) and as time passes (worker), missed check-ins (worker) and
 * check-ins (api). Every alert is raised exactly once: its row is inserted with ON CONFLICT and
 * only the transaction that inserted it appends the event, in the same transaction; events are
 * published after the commit (the outbox relay covers a failed publish).
 */
export class RosterChecks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  private async centers(
    manager: EntityManager | DataSource,
    centerIds: readonly string[] | null,
  ): Promise<CenterUnit[]> {
    return (await manager.query(
      `SELECT c.id, c.unit_code, u.path FROM command_centers c JOIN admin_units u ON u.code = c.unit_code
       WHERE $1::uuid[] IS NULL OR c.id = ANY($1) ORDER BY c.id`,
      [centerIds],
    )) as CenterUnit[];
  }

  private event(
    center: CenterUnit,
    input: Omit<EventInput, 'unit' | 'occurredAt' | 'id'>,
    now: number,
  ): AppendItem {
    return {
      input: {
        id: randomUUID(),
        unit: center.unit_code,
        occurredAt: iso(now),
        ...input,
      } as EventInput,
      unitPath: center.path,
    };
  }

  /** Commits `work` with the events it returns, in one unit of work (which publishes them). */
  private commit(work: (em: EntityManager) => Promise<AppendItem[]>, actor: string): Promise<StoredEvent[]> {
    return this.unitOfWork.run(async (em) => {
      const items = await work(em);
      if (!items.length) return [];
      return (await this.store.append(items, actor, em)).created;
    });
  }

  /**
   * Recomputes the coverage gaps of some centers (null: all) for the next 14 days and reconciles
   * them with `coverage_gaps`: a new gap raises `coverage.gap-detected` (once), a gap that is
   * staffed again raises `coverage.gap-closed`, a gap whose time has passed is closed quietly.
   * A gap detected before it was urgent raises one more `coverage.gap-detected` (urgent) when it
   * comes within the hour.
   */
  async recomputeGaps(
    now: number,
    centerIds: readonly string[] | null = null,
  ): Promise<GapCheckResult> {
    const result: GapCheckResult = { detected: 0, closed: 0 };
    for (const center of await this.centers(this.dataSource, centerIds)) {
      const events = await this.commit(
        (em) => this.reconcileCenter(em, center, now),
        ROSTER_SYSTEM_ACTOR,
      );
      for (const e of events) {
        if (e.type === 'coverage.gap-detected') result.detected++;
        else result.closed++;
      }
    }
    return result;
  }

  private async reconcileCenter(
    em: EntityManager,
    center: CenterUnit,
    now: number,
  ): Promise<AppendItem[]> {
    // One reconciliation of a center at a time (api after a change, any worker on its timer).
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('frontline:coverage:' || $1))`, [
      center.id,
    ]);
    // Start a day back so a gap in progress keeps its real start (its key) from run to run.
    const windowStart = now - DAY_MS;
    const windowEnd = now + GAP_HORIZON_MS;
    const loaded = await loadRoster(em, windowStart, windowEnd, { centerIds: [center.id] });
    const gaps = coverageGaps(loaded.data, windowStart, windowEnd).filter((g) => g.to > now);
    const open = (await em.query(
      `SELECT position_code, starts_at, ends_at, urgent_alerted FROM coverage_gaps
       WHERE center_id = $1 AND state = 'open' FOR UPDATE`,
      [center.id],
    )) as GapRow[];
    const matched = new Set<GapRow>();
    const items: AppendItem[] = [];

    for (const g of gaps) {
      const urgent = g.from < now + URGENT_WITHIN_MS;
      const row =
        open.find((r) => r.position_code === g.position && r.starts_at.getTime() === g.from) ??
        // Clamped at the window start: the same gap as an open one that began earlier.
        (g.from === windowStart
          ? open.find(
              (r) =>
                r.position_code === g.position &&
                r.starts_at.getTime() <= g.from &&
                r.ends_at.getTime() > g.from,
            )
          : undefined);
      const payload = {
        centerId: center.id,
        position: g.position,
        from: iso(row ? row.starts_at.getTime() : g.from),
        to: iso(g.to),
        required: g.requiredCount,
        present: g.staffed,
        urgent,
      };
      if (row) {
        matched.add(row);
        // The row is locked (FOR UPDATE, under the center's lock): its urgent flag is current.
        await em.query(
          `UPDATE coverage_gaps SET ends_at = $4, present_count = $5, urgent_alerted = urgent_alerted OR $6
           WHERE center_id = $1 AND position_code = $2 AND starts_at = $3`,
          [center.id, g.position, row.starts_at, new Date(g.to), g.staffed, urgent],
        );
        if (urgent && !row.urgent_alerted) {
          items.push(this.event(center, { type: 'coverage.gap-detected', payload }, now));
        }
        continue;
      }
      // New (or re-opened after it was closed): only the inserting transaction emits.
      const inserted = (await em.query(
        `INSERT INTO coverage_gaps (center_id, position_code, starts_at, ends_at, required_count, present_count, urgent_alerted)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (center_id, position_code, starts_at) DO UPDATE
           SET state = 'open', closed_reason = NULL, closed_at = NULL, ends_at = EXCLUDED.ends_at,
               required_count = EXCLUDED.required_count, present_count = EXCLUDED.present_count,
               urgent_alerted = EXCLUDED.urgent_alerted, detected_at = now()
           WHERE coverage_gaps.state = 'closed'
         RETURNING starts_at`,
        [
          center.id,
          g.position,
          new Date(g.from),
          new Date(g.to),
          g.requiredCount,
          g.staffed,
          urgent,
        ],
      )) as unknown[];
      if (inserted.length)
        items.push(this.event(center, { type: 'coverage.gap-detected', payload }, now));
    }

    for (const row of open) {
      if (matched.has(row)) continue;
      const elapsed = row.ends_at.getTime() <= now;
      await em.query(
        `UPDATE coverage_gaps SET state = 'closed', closed_reason = $4, closed_at = now()
         WHERE center_id = $1 AND position_code = $2 AND starts_at = $3`,
        [center.id, row.position_code, row.starts_at, elapsed ? 'elapsed' : 'staffed'],
      );
      if (!elapsed) {
        items.push(
          this.event(
            center,
            {
              type: 'coverage.gap-closed',
              payload: {
                centerId: center.id,
                position: row.position_code,
                from: iso(row.starts_at.getTime()),
                to: iso(row.ends_at.getTime()),
              },
            },
            now,
          ),
        );
      }
    }
    return items;
  }

  /**
   * Every duty-officer shift in progress that started more than 10 minutes ago: each person on it
   * without a check-in row raises `shift.missed-check-in`, once per (center, position, staff, shift).
   */
  async checkMissedCheckIns(now: number): Promise<number> {
    const centers = await this.centers(this.dataSource, null);
    const byId = new Map(centers.map((c) => [c.id, c]));
    const loaded = await loadRoster(this.dataSource, now - DAY_MS, now + 1, {});
    const due = expandShifts(loaded.data, now - DAY_MS, now + 1).filter(
      (s) =>
        s.position === CHECK_IN_POSITION &&
        s.start <= now - MISSED_CHECK_IN_AFTER_MS &&
        s.end > now &&
        s.staffIds.length > 0,
    );
    let raised = 0;
    for (const shift of due) {
      const center = byId.get(shift.centerId);
      if (!center) continue;
      const events = await this.commit(async (em) => {
        const ids = shift.staffIds.map(() => randomUUID());
        const rows = (await em.query(
          `INSERT INTO missed_checkin_alerts (center_id, position_code, staff_id, shift_start, event_id)
           SELECT $1, $2, t.staff_id, $3, t.event_id
           FROM unnest($4::uuid[], $5::uuid[]) AS t(staff_id, event_id)
           WHERE NOT EXISTS (SELECT 1 FROM shift_checkins c WHERE c.center_id = $1 AND c.position_code = $2
                             AND c.staff_id = t.staff_id AND c.shift_start = $3)
           ON CONFLICT DO NOTHING
           RETURNING staff_id, event_id`,
          [shift.centerId, shift.position, new Date(shift.start), shift.staffIds, ids],
        )) as { staff_id: string; event_id: string }[];
        return rows.map((r) => ({
          input: {
            id: r.event_id,
            type: 'shift.missed-check-in',
            unit: center.unit_code,
            occurredAt: iso(now),
            payload: {
              centerId: shift.centerId,
              position: shift.position,
              staffId: r.staff_id,
              shiftStart: iso(shift.start),
            },
          },
          unitPath: center.path,
        }));
      }, ROSTER_SYSTEM_ACTOR);
      raised += events.length;
    }
    return raised;
  }

  /**
   * Checks in the person linked to `userId` at `centerId` for their shift of `position` in
   * progress (or starting within 30 minutes): `shift.checked-in` once per shift; a repeat answers
   * the first check-in.
   */
  async checkIn(
    userId: string,
    centerId: string,
    position: string,
    now: number,
    actor: string,
  ): Promise<CheckInResult> {
    const staff = (await this.dataSource.query(
      `SELECT id FROM duty_staff WHERE center_id = $1 AND user_id = $2 AND active`,
      [centerId, userId],
    )) as { id: string }[];
    if (!staff.length) return { ok: false, reason: 'not-linked' };
    const staffId = staff[0].id;
    const loaded = await loadRoster(this.dataSource, now - DAY_MS, now + CHECK_IN_OPENS_BEFORE_MS, {
      centerIds: [centerId],
    });
    const shift = expandShifts(loaded.data, now - DAY_MS, now + CHECK_IN_OPENS_BEFORE_MS)
      .filter(
        (s) =>
          s.centerId === centerId &&
          s.position === position &&
          s.staffIds.includes(staffId) &&
          s.start - CHECK_IN_OPENS_BEFORE_MS <= now &&
          now < s.end,
      )
      .sort((a, b) => a.start - b.start)[0];
    if (!shift) return { ok: false, reason: 'not-on-shift' };
    const [center] = await this.centers(this.dataSource, [centerId]);
    let eventId: string | null = null;
    const created = await this.commit(async (em) => {
      const rows = (await em.query(
        `INSERT INTO shift_checkins (center_id, position_code, staff_id, shift_start, user_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
        [centerId, position, staffId, new Date(shift.start), userId],
      )) as { id: string }[];
      if (!rows.length) return [];
      const item = this.event(
        center,
        {
          type: 'shift.checked-in',
          payload: { centerId, position, staffId, shiftStart: iso(shift.start) },
        },
        now,
      );
      eventId = item.input.id ?? null;
      return [item];
    }, actor);
    return {
      ok: true,
      created: created.length > 0,
      staffId,
      shiftStart: iso(shift.start),
      eventId,
    };
  }
}
