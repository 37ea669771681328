import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TrendDay, UnitCounters } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';

export interface UnitFigures {
  counters: UnitCounters;
  /** Latest event in the unit's subtree, if within the last 24 h. */
  lastEventAt: string | null;
}

interface FiguresRow {
  code: string;
  f0_today: number;
  f0_7d: number;
  tests_today: number;
  positives_today: number;
  f1_active: number;
  open_reports: number;
  last_event_at: Date | null;
}

/**
 * The projector's tables as figures: `unit_daily_counters` (per unit and local day) and
 * `unit_live_counters` (what is open now). Read on every snapshot, so in one statement each.
 */
@Injectable()
export class FiguresRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Counters of several units, keyed by code in the order given; `today` is a local day. */
  async figures(codes: readonly string[], today: string, db: Queryable = this.dataSource): Promise<Map<string, UnitFigures>> {
    const rows = (await db.query(
      `SELECT u.code,
              coalesce(d.f0_today, 0)::int AS f0_today, coalesce(d.f0_7d, 0)::int AS f0_7d,
              coalesce(d.tests_today, 0)::int AS tests_today, coalesce(d.positives_today, 0)::int AS positives_today,
              coalesce(l.f1_active, 0)::int AS f1_active, coalesce(l.open_reports, 0)::int AS open_reports,
              CASE WHEN l.last_event_at > now() - interval '24 hours' THEN l.last_event_at END AS last_event_at
       FROM unnest($1::text[]) WITH ORDINALITY AS u(code, ord)
       LEFT JOIN LATERAL (
         SELECT sum(c.f0) FILTER (WHERE c.day = $2) AS f0_today, sum(c.f0) AS f0_7d,
                sum(c.tests) FILTER (WHERE c.day = $2) AS tests_today,
                sum(c.positives) FILTER (WHERE c.day = $2) AS positives_today
         FROM unit_daily_counters c WHERE c.unit_code = u.code AND c.day BETWEEN $2::date - 6 AND $2::date
       ) d ON true
       LEFT JOIN unit_live_counters l ON l.unit_code = u.code
       ORDER BY u.ord`,
      [codes, today],
    )) as FiguresRow[];
    return new Map(
      rows.map((r) => [
        r.code,
        {
          counters: {
            f0Today: r.f0_today,
            f0Last7Days: r.f0_7d,
            f1Active: r.f1_active,
            testsToday: r.tests_today,
            positivesToday: r.positives_today,
            openReports: r.open_reports,
          },
          lastEventAt: r.last_event_at ? r.last_event_at.toISOString() : null,
        },
      ]),
    );
  }

  /** One row per day of the `days` days up to `today`, zero when quiet. */
  async trend(unitCode: string, today: string, days: number): Promise<TrendDay[]> {
    return (await this.dataSource.query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              coalesce(c.f0, 0)::int AS f0, coalesce(c.f1, 0)::int AS f1, coalesce(c.tests, 0)::int AS tests,
              coalesce(c.positives, 0)::int AS positives, coalesce(c.reports, 0)::int AS reports
       FROM generate_series(($2::date - ($3::int - 1))::timestamp, $2::date::timestamp, interval '1 day') AS d(day)
       LEFT JOIN unit_daily_counters c ON c.unit_code = $1 AND c.day = d.day::date
       ORDER BY d.day`,
      [unitCode, today, days],
    )) as TrendDay[];
  }
}
