import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportTimelineResponse, ResponseTimesResponse, TaskTimelineResponse, TimelineStep } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { localDateOf, localDateStart, nextLocalDate } from '@frontline/time';
import type { Principal } from '../auth/token.service';
import { actorNames } from '../common/actor-names';
import { reachableRecord, unitInJurisdiction } from '../common/jurisdiction';
import { AccountabilityRepository, TimelineEventRow } from './accountability.repository';
import { TasksRepository } from './tasks.repository';

type EventRow = TimelineEventRow;

/** Payload fields shown in a timeline (ids and codes, never personal data, never free text). */
const DETAIL_FIELDS = ['priority', 'teamId', 'previousTeamId', 'state', 'level', 'deadline', 'targetUnit', 'staffIds', 'userIds', 'intoReportId', 'taskType', 'category', 'channel'];

function steps(rows: EventRow[], names: ReadonlyMap<string, string>): TimelineStep[] {
  return rows.map((r, i) => ({
    at: r.occurred_at.toISOString(),
    type: r.type,
    actor: r.actor,
    actorName: names.get(r.actor) ?? null,
    eventId: r.id,
    ...(typeof r.payload.taskId === 'string' ? { taskId: r.payload.taskId } : {}),
    detail: Object.fromEntries(DETAIL_FIELDS.filter((f) => r.payload[f] !== undefined).map((f) => [f, r.payload[f]])),
    sincePreviousMs: i === 0 ? null : r.occurred_at.getTime() - rows[i - 1].occurred_at.getTime(),
  }));
}

function between(rows: EventRow[], from: string, to: string): number | null {
  const a = rows.find((r) => r.type === from);
  const b = rows.find((r) => r.type === to);
  return a && b ? b.occurred_at.getTime() - a.occurred_at.getTime() : null;
}

/**
 * Who did what and how long each step took, from the event log (every step is an event with its
 * actor); and the daily response times per unit from the task rows.
 */
@Injectable()
export class AccountabilityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: AccountabilityRepository,
    private readonly tasks: TasksRepository,
    private readonly units: UnitDirectory,
  ) {}

  async taskTimeline(taskId: string, caller: Principal): Promise<TaskTimelineResponse> {
    const task = reachableRecord(await this.reads.task(taskId), (t) => t.unit_path, caller, `no task with id "${taskId}"`);
    const rows = await this.reads.taskEvents(taskId);
    return {
      taskId,
      reportId: task.report_id,
      steps: steps(rows, await actorNames(this.dataSource, rows.map((r) => r.actor))),
      durations: {
        toAssignMs: between(rows, 'task.created', 'task.assigned'),
        toAcknowledgeMs: between(rows, 'task.assigned', 'task.acknowledged'),
        createdToAcknowledgedMs: between(rows, 'task.created', 'task.acknowledged'),
        acknowledgedToDoneMs: between(rows, 'task.acknowledged', 'task.completed'),
        totalMs: between(rows, 'task.created', 'task.completed') ?? between(rows, 'task.created', 'task.cancelled'),
      },
    };
  }

  async reportTimeline(reportId: string, caller: Principal): Promise<ReportTimelineResponse> {
    const event = await this.reads.event(reportId);
    const report = reachableRecord(event?.type === 'report.received' ? event : null, (r) => r.unit_path, caller, `no report with id "${reportId}"`);
    const refs = await this.reads.eventsOfReport(reportId);
    const taskIds = await this.tasks.idsForReport(reportId);
    const rows = [report, ...refs];
    const firstTask = refs.find((r) => r.type === 'task.created');
    return {
      reportId,
      steps: steps(rows, await actorNames(this.dataSource, rows.map((r) => r.actor))),
      tasks: await Promise.all(taskIds.map((id) => this.taskTimeline(id, caller))),
      durations: {
        toAcknowledgeMs: between(rows, 'report.received', 'report.acknowledged'),
        toTriageMs: between(rows, 'report.received', 'report.triaged'),
        toFirstTaskMs: firstTask ? firstTask.occurred_at.getTime() - report.occurred_at.getTime() : null,
        toCloseMs: between(rows, 'report.received', 'report.closed'),
      },
    };
  }

  /** Per unit of the subtree, tasks created that local day: how fast they were acknowledged and done (median, worst). */
  async responseTimes(unitCode: string, day: string | undefined, caller: Principal): Promise<ResponseTimesResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const localDay = day ?? localDateOf(Date.now());
    const rows = await this.reads.responseTimes(
      unit.code,
      new Date(localDateStart(localDay)),
      new Date(localDateStart(nextLocalDate(localDay))),
    );
    const ms = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 1000));
    return {
      unit: unit.code,
      day: localDay,
      units: rows.map((r) => ({
        unit: r.unit_code,
        tasks: r.tasks,
        acknowledged: r.acknowledged,
        done: r.done,
        unacknowledgedPastDeadline: r.overdue,
        acknowledgeMedianMs: ms(r.ack_median),
        acknowledgeWorstMs: ms(r.ack_worst),
        doneMedianMs: ms(r.done_median),
        doneWorstMs: ms(r.done_worst),
      })),
    };
  }
}
