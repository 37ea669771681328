import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { DuplicatesResponse, EventInput, OpenReport, OpenReportsResponse, StoredEvent, TASK_PRIORITIES } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, StreamPublisher, UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { assertDispatcher } from './dispatch-access';

type Priority = (typeof TASK_PRIORITIES)[number];

interface ReportLock {
  id: string;
  unit_code: string;
  unit_path: string[];
  drill: boolean;
  exercise_id: string | null;
  lat: number | null;
  lon: number | null;
  state: 'open' | 'closed' | 'merged';
  priority: Priority | null;
  merged_into: string | null;
}

export interface ReportState {
  reportId: string;
  unit: string;
  state: 'open' | 'closed' | 'merged';
  priority: Priority | null;
  closeReason: string | null;
  mergedInto: string | null;
  taskIds: string[];
}

export interface TriageAnswer {
  report: ReportState;
  eventId: string | null;
  alreadyApplied: boolean;
}

/** Default window of "likely the same incident": 500 m and 2 hours either way. */
export const DUPLICATE_RADIUS_M = 500;
export const DUPLICATE_HOURS = 2;

/**
 * Triage of urgent reports: a priority (`report.triaged`), closed with a reason (`report.closed`)
 * or folded into another report (`report.merged`); tasks come from a report through
 * `POST /api/v1/dispatch/tasks {reportId}`. The report stays its `report.received` event; its
 * triage state is one row, locked for every change, written with its event in one transaction.
 */
@Injectable()
export class ReportTriageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async state(reportId: string, caller: Principal): Promise<ReportState> {
    return this.dataSource.transaction(async (em) => this.view(em, await this.lock(em, reportId, caller, 'params.id')));
  }

  async triage(reportId: string, priority: Priority, caller: Principal): Promise<TriageAnswer> {
    assertDispatcher(caller, 'triage reports');
    return this.change(reportId, caller, async (em, report) => {
      this.assertOpen(report, 'triaged');
      if (report.priority === priority) return null;
      await em.query(`UPDATE report_triage SET priority = $2, triaged_at = now(), updated_at = now() WHERE report_id = $1`, [report.id, priority]);
      return this.item(report, 'report.triaged', { reportId: report.id, priority });
    });
  }

  async close(reportId: string, reason: string, caller: Principal): Promise<TriageAnswer> {
    assertDispatcher(caller, 'close reports');
    return this.change(reportId, caller, async (em, report) => {
      this.assertOpen(report, 'closed');
      const open = (await em.query(
        `SELECT id FROM tasks WHERE report_id = $1 AND state NOT IN ('done', 'cancelled') LIMIT 1`,
        [report.id],
      )) as unknown[];
      if (open.length) throw new ConflictException('the report has open tasks: finish or cancel them before closing it');
      await em.query(`UPDATE report_triage SET state = 'closed', close_reason = $2, updated_at = now() WHERE report_id = $1`, [report.id, reason]);
      return this.item(report, 'report.closed', { reportId: report.id, reason });
    });
  }

  async merge(reportId: string, intoReportId: string, caller: Principal): Promise<TriageAnswer> {
    assertDispatcher(caller, 'merge reports');
    if (reportId === intoReportId) {
      throw new BadRequestException({
        message: 'body.intoReportId: a report cannot be merged into itself',
        details: [{ path: 'body.intoReportId', message: 'a report cannot be merged into itself' }],
      });
    }
    return this.change(reportId, caller, async (em, report) => {
      if (report.state === 'merged' && report.merged_into === intoReportId) return null;
      this.assertOpen(report, 'merged');
      const into = await this.lock(em, intoReportId, caller, 'body.intoReportId');
      if (into.state !== 'open') throw new ConflictException(`body.intoReportId: that report is ${into.state}; merge into an open report`);
      await em.query(`UPDATE report_triage SET state = 'merged', merged_into = $2, updated_at = now() WHERE report_id = $1`, [report.id, intoReportId]);
      // Its open tasks follow the report it was merged into.
      await em.query(`UPDATE tasks SET report_id = $2, updated_at = now() WHERE report_id = $1 AND state NOT IN ('done', 'cancelled')`, [report.id, intoReportId]);
      return this.item(report, 'report.merged', { reportId: report.id, intoReportId });
    });
  }

  /**
   * Reports of the subtree nobody has closed or merged, newest first: their priority once
   * triaged, their tasks, and how many other open reports lie within the duplicate window.
   */
  async openReports(unitCode: string, limit: number, caller: Principal): Promise<OpenReportsResponse> {
    assertDispatcher(caller, 'list reports for dispatch');
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const rows = (await this.dataSource.query(
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
      [unit.code, limit, DUPLICATE_RADIUS_M, DUPLICATE_HOURS * 3600],
    )) as {
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
    }[];
    return {
      unit: unit.code,
      reports: rows.map((r) => ({
        reportId: r.id,
        unit: r.unit_code,
        category: r.category,
        channel: r.channel,
        description: r.description,
        occurredAt: r.occurred_at.toISOString(),
        place: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
        priority: r.priority,
        drill: r.drill,
        taskIds: r.task_ids,
        likelyDuplicates: r.duplicates,
      })),
    };
  }

  /** Open reports near this one in space and time (PostGIS on the event locations), nearest first. */
  async duplicates(reportId: string, caller: Principal, radiusM = DUPLICATE_RADIUS_M, hours = DUPLICATE_HOURS): Promise<DuplicatesResponse> {
    await this.dataSource.transaction(async (em) => this.lock(em, reportId, caller, 'params.id'));
    const rows = (await this.dataSource.query(
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
      [reportId, radiusM, hours * 3600, caller.unitCode],
    )) as { id: string; unit_code: string; category: string; occurred_at: Date; distance_m: number; minutes: string; lat: number; lon: number }[];
    return {
      reportId,
      radiusM,
      hours,
      candidates: rows.map((r) => ({
        reportId: r.id,
        unit: r.unit_code,
        category: r.category,
        occurredAt: r.occurred_at.toISOString(),
        distanceM: Math.round(r.distance_m),
        minutesApart: Math.round(Number(r.minutes)),
        place: { lat: r.lat, lon: r.lon },
      })),
    };
  }

  private async change(
    reportId: string,
    caller: Principal,
    apply: (em: EntityManager, report: ReportLock) => Promise<{ input: EventInput; unitPath: string[] } | null>,
  ): Promise<TriageAnswer> {
    const outcome = await this.dataSource.transaction(async (em) => {
      const report = await this.lock(em, reportId, caller, 'params.id');
      const item = await apply(em, report);
      let created: StoredEvent[] = [];
      if (item) created = (await this.store.append([item], `user:${caller.userId}`, em)).created;
      return { created, report: await this.view(em, await this.lock(em, reportId, caller, 'params.id')) };
    });
    await this.publisher.publish(outcome.created);
    if (outcome.created.length) this.logger.info({ actor: caller.userId, reportId, type: outcome.created[0].type }, 'report triage');
    return { report: outcome.report, eventId: outcome.created[0]?.id ?? null, alreadyApplied: !outcome.created.length };
  }

  /** The report and its triage row (created on first use), locked; 404 unknown, 403 outside the jurisdiction. */
  private async lock(em: EntityManager, reportId: string, caller: Principal, field: string): Promise<ReportLock> {
    const events = (await em.query(
      `SELECT id, type, unit_code, unit_path, drill, exercise_id, ST_Y(location) AS lat, ST_X(location) AS lon FROM event_log WHERE id = $1`,
      [reportId],
    )) as (Omit<ReportLock, 'state' | 'priority' | 'merged_into'> & { type: string })[];
    const event = events[0];
    if (!event || event.type !== 'report.received') {
      throw new NotFoundException({ message: `${field}: no report with id "${reportId}"`, details: [{ path: field, message: 'unknown report' }] });
    }
    if (!UnitDirectory.within(caller.unitCode, event.unit_path)) throw new ForbiddenException(`${field}: this report is outside your jurisdiction`);
    await em.query(
      `INSERT INTO report_triage (report_id, unit_code, unit_path) VALUES ($1, $2, $3) ON CONFLICT (report_id) DO NOTHING`,
      [event.id, event.unit_code, event.unit_path],
    );
    const rows = (await em.query(`SELECT state, priority, merged_into FROM report_triage WHERE report_id = $1 FOR UPDATE`, [event.id])) as Pick<
      ReportLock,
      'state' | 'priority' | 'merged_into'
    >[];
    return { ...event, ...rows[0] };
  }

  private async view(em: EntityManager, report: ReportLock): Promise<ReportState> {
    const row = ((await em.query(`SELECT close_reason FROM report_triage WHERE report_id = $1`, [report.id])) as { close_reason: string | null }[])[0];
    const tasks = (await em.query(`SELECT id FROM tasks WHERE report_id = $1 ORDER BY created_at`, [report.id])) as { id: string }[];
    return {
      reportId: report.id,
      unit: report.unit_code,
      state: report.state,
      priority: report.priority,
      closeReason: row?.close_reason ?? null,
      mergedInto: report.merged_into,
      taskIds: tasks.map((t) => t.id),
    };
  }

  private assertOpen(report: ReportLock, verb: string): void {
    if (report.state === 'closed') throw new ConflictException(`the report is closed: it cannot be ${verb}`);
    if (report.state === 'merged') throw new ConflictException(`the report was merged into report ${report.merged_into}: it cannot be ${verb}`);
  }

  private item(report: ReportLock, type: EventInput['type'], payload: Record<string, unknown>): { input: EventInput; unitPath: string[] } {
    return {
      input: {
        id: randomUUID(),
        type,
        unit: report.unit_code,
        occurredAt: new Date().toISOString(),
        ...(report.lat !== null && report.lon !== null ? { location: { lat: report.lat, lon: report.lon } } : {}),
        ...(report.drill ? { drill: true } : {}),
        ...(report.exercise_id ? { exerciseId: report.exercise_id } : {}),
        payload,
      } as EventInput,
      unitPath: report.unit_path,
    };
  }
}
