import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { DuplicatesResponse, EventInput, OpenReportsResponse, StoredEvent } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { Priority, ReportLock, ReportTriageRepository } from './report-triage.repository';
import { TasksRepository } from './tasks.repository';

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
    private readonly reports: ReportTriageRepository,
    private readonly tasks: TasksRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async state(reportId: string, caller: Principal): Promise<ReportState> {
    return this.dataSource.transaction(async (em) => this.view(em, await this.lock(em, reportId, caller, 'params.id')));
  }

  async triage(reportId: string, priority: Priority, caller: Principal): Promise<TriageAnswer> {
    return this.change(reportId, caller, async (em, report) => {
      this.assertOpen(report, 'triaged');
      if (report.priority === priority) return null;
      await this.reports.setPriority(em, report.id, priority);
      return this.item(report, 'report.triaged', { reportId: report.id, priority });
    });
  }

  async close(reportId: string, reason: string, caller: Principal): Promise<TriageAnswer> {
    return this.change(reportId, caller, async (em, report) => {
      this.assertOpen(report, 'closed');
      if (await this.tasks.hasOpenForReport(em, report.id)) {
        throw new ConflictException('the report has open tasks: finish or cancel them before closing it');
      }
      await this.reports.close(em, report.id, reason);
      return this.item(report, 'report.closed', { reportId: report.id, reason });
    });
  }

  async merge(reportId: string, intoReportId: string, caller: Principal): Promise<TriageAnswer> {
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
      await this.reports.merge(em, report.id, intoReportId);
      await this.tasks.moveOpenToReport(em, report.id, intoReportId);
      return this.item(report, 'report.merged', { reportId: report.id, intoReportId });
    });
  }

  /**
   * Reports of the subtree nobody has closed or merged, newest first: their priority once
   * triaged, their tasks, and how many other open reports lie within the duplicate window.
   */
  async openReports(unitCode: string, limit: number, caller: Principal): Promise<OpenReportsResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const rows = await this.reports.open(unit.code, limit, { radiusM: DUPLICATE_RADIUS_M, hours: DUPLICATE_HOURS });
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
    const rows = await this.reports.duplicates(reportId, caller.unitCode, { radiusM, hours });
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
    const outcome = await this.unitOfWork.run(async (em) => {
      const report = await this.lock(em, reportId, caller, 'params.id');
      const item = await apply(em, report);
      let created: StoredEvent[] = [];
      if (item) created = (await this.store.append([item], `user:${caller.userId}`, em)).created;
      return { created, report: await this.view(em, await this.lock(em, reportId, caller, 'params.id')) };
    });
    if (outcome.created.length) this.logger.info({ actor: caller.userId, reportId, type: outcome.created[0].type }, 'report triage');
    return { report: outcome.report, eventId: outcome.created[0]?.id ?? null, alreadyApplied: !outcome.created.length };
  }

  /** The report and its triage row (created on first use), locked; 404 when unknown or outside the jurisdiction (alike). */
  private async lock(em: EntityManager, reportId: string, caller: Principal, field: string): Promise<ReportLock> {
    const event = await this.reports.findEvent(em, reportId);
    if (!event || !UnitDirectory.within(caller.unitCode, event.unit_path)) {
      throw new NotFoundException({ message: `${field}: no report with id "${reportId}"`, details: [{ path: field, message: 'unknown report' }] });
    }
    return this.reports.lockTriage(em, event);
  }

  private async view(em: EntityManager, report: ReportLock): Promise<ReportState> {
    return {
      reportId: report.id,
      unit: report.unit_code,
      state: report.state,
      priority: report.priority,
      closeReason: await this.reports.closeReason(em, report.id),
      mergedInto: report.merged_into,
      taskIds: await this.tasks.idsForReport(report.id, em),
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
