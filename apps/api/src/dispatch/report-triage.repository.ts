import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OpenReport, TASK_PRIORITIES } from '@frontline/contracts';

export type Priority = (typeof TASK_PRIORITIES)[number];
export type TriageState = 'open' | 'closed' | 'merged';

/** A report (its `report.received` event) with its triage row, as locked for a change. */
export interface ReportLock {
  id: string;
  unit_code: string;
  unit_path: string[];
  drill: boolean;
  exercise_id: string | null;
  lat: number | null;
  lon: number | null;
  state: TriageState;
  priority: Priority | null;
  merged_into: string | null;
}

type ReportEvent = Omit<ReportLock, 'state' | 'priority' | 'merged_into'>;

export interface OpenReportRow {
  id: string;
  unit_code: string;
  category: OpenReport['category'];
  channel: string;
  description: string;
  occurred_at: Date;
  drill: boolean;
  priority: Priority | null;
  lat: number | null;
  lon: number | null;
  task_ids: string[];
  duplicates: number;
}

export interface DuplicateRow {
  id: string;
  unit_code: string;
  category: string;
  occurred_at: Date;
  distance_m: number;
  minutes: string;
  lat: number;
  lon: number;
}

/** The window in which two open reports are likely the same incident. */
export interface DuplicateWindow {
  radiusM: number;
  hours: number;
}

/**
 * Urgent reports as dispatch sees them: the `report.received` event in `event_log` and its
 * triage row (`report_triage`, created on first use); likely duplicates found with PostGIS.
 */
@Injectable()
export class ReportTriageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The report event, or undefined when the id is not a `report.received`. */
  async findEvent(em: EntityManager, reportId: string): Promise<ReportEvent | undefined> {
    const rows = (await em.query(
      `SELECT id, type, unit_code, unit_path, drill, exercise_id, ST_Y(location) AS lat, ST_X(location) AS lon FROM event_log WHERE id = $1`,
      [reportId],
    )) as (ReportEvent & { type: string })[];
    const row = rows[0];
    if (!row || row.type !== 'report.received') return undefined;
    return {
      id: row.id,
      unit_code: row.unit_code,
      unit_path: row.unit_path,
      drill: row.drill,
      exercise_id: row.exercise_id,
      lat: row.lat,
      lon: row.lon,
    };
  }

  /** The report's triage row, created if needed and locked for the rest of the transaction. */
  async lockTriage(em: EntityManager, report: ReportEvent): Promise<ReportLock> {
    await em.query(
      `INSERT INTO report_triage (report_id, unit_code, unit_path) VALUES ($1, $2, $3) ON CONFLICT (report_id) DO NOTHING`,
      [report.id, report.unit_code, report.unit_path],
    );
    const rows = (await em.query(`SELECT state, priority, merged_into FROM report_triage WHERE report_id = $1 FOR UPDATE`, [
      report.id,
    ])) as Pick<ReportLock, 'state' | 'priority' | 'merged_into'>[];
    return { ...report, ...rows[0] };
  }

  async closeReason(em: EntityManager, reportId: string): Promise<string | null> {
    const rows = (await em.query(`SELECT close_reason FROM report_triage WHERE report_id = $1`, [reportId])) as {
      close_reason: string | null;
    }[];
    return rows[0]?.close_reason ?? null;
  }

  /** What a new task needs of its report: where it is, whether a drill, its triage state (null before triage). */
  async findReport(reportId: string): Promise<{ unitPath: string[]; drill: boolean; state: TriageState | null } | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT e.type, e.unit_path, e.drill, r.state FROM event_log e LEFT JOIN report_triage r ON r.report_id = e.id WHERE e.id = $1`,
      [reportId],
    )) as { type: string; unit_path: string[]; drill: boolean; state: TriageState | null }[];
    const row = rows[0];
    if (!row || row.type !== 'report.received') return undefined;
    return { unitPath: row.unit_path, drill: row.drill, state: row.state };
  }

  async setPriority(em: EntityManager, reportId: string, priority: Priority): Promise<void> {
    await em.query(`UPDATE report_triage SET priority = $2, triaged_at = now(), updated_at = now() WHERE report_id = $1`, [
      reportId,
      priority,
    ]);
  }

  async close(em: EntityManager, reportId: string, reason: string): Promise<void> {
    await em.query(`UPDATE report_triage SET state = 'closed', close_reason = $2, updated_at = now() WHERE report_id = $1`, [
      reportId,
      reason,
    ]);
  }

  async merge(em: EntityManager, reportId: string, intoReportId: string): Promise<void> {
    await em.query(`UPDATE report_triage SET state = 'merged', merged_into = $2, updated_at = now() WHERE report_id = $1`, [
      reportId,
      intoReportId,
    ]);
  }

  /**
   * Reports of the subtree nobody has closed or merged, newest first: their priority once
   * triaged, their tasks, and how many other open reports lie within the duplicate window.
   */
  async open(unitCode: string, limit: number, window: DuplicateWindow): Promise<OpenReportRow[]> {
    return (await this.dataSource.query(
      `SELECT e.id, e.unit_code, e.payload->>'category' AS category, e.payload->>'channel' AS channel,
              e.payload->>'description' AS description, e.occurred_at, e.drill, t.priority,
              ST_Y(e.location) AS lat, ST_X(e.location) AS lon,
              COALESCE((SELECT array_agg(k.id ORDER BY k.created_at) FROM tasks k WHERE k.report_id = e.id), '{}') AS task_ids,
              CASE WHEN e.location IS NULL THEN 0 ELSE (
                SELECT count(*)::int FROM event_log d LEFT JOIN report_triage dt ON dt.report_id = d.id
                WHERE d.type = 'report.received' AND d.id <> e.id AND d.drill = e.drill
                  AND ST_DWithin(d.location::geography, e.location::geography, $3)
                  AND d.occurred_at BETWEEN e.occurred_at - make_interval(secs => $4) AND e.occurred_at + make_interval(secs => $4)
                  AND d.unit_path @> ARRAY[$1]::text[] AND COALESCE(dt.state, 'open') = 'open') END AS duplicates
       FROM event_log e LEFT JOIN report_triage t ON t.report_id = e.id
       WHERE e.type = 'report.received' AND e.unit_path @> ARRAY[$1]::text[] AND COALESCE(t.state, 'open') = 'open'
       ORDER BY e.occurred_at DESC, e.seq DESC LIMIT $2`,
      [unitCode, limit, window.radiusM, window.hours * 3600],
    )) as OpenReportRow[];
  }

  /** Open reports of a subtree near this one in space and time, nearest first. */
  async duplicates(reportId: string, unitCode: string, window: DuplicateWindow): Promise<DuplicateRow[]> {
    return (await this.dataSource.query(
      `SELECT e.id, e.unit_code, e.payload->>'category' AS category, e.occurred_at,
              ST_Distance(e.location::geography, r.location::geography) AS distance_m,
              abs(extract(epoch FROM e.occurred_at - r.occurred_at)) / 60 AS minutes,
              ST_Y(e.location) AS lat, ST_X(e.location) AS lon
       FROM event_log r
       JOIN event_log e ON e.type = 'report.received' AND e.id <> r.id AND e.drill = r.drill
        AND ST_DWithin(e.location::geography, r.location::geography, $2)
        AND e.occurred_at BETWEEN r.occurred_at - make_interval(secs => $3) AND r.occurred_at + make_interval(secs => $3)
       LEFT JOIN report_triage t ON t.report_id = e.id
       WHERE r.id = $1 AND r.location IS NOT NULL AND e.unit_path @> ARRAY[$4]::text[] AND COALESCE(t.state, 'open') = 'open'
       ORDER BY distance_m, e.occurred_at
       LIMIT 50`,
      [reportId, window.radiusM, window.hours * 3600, unitCode],
    )) as DuplicateRow[];
  }
}
