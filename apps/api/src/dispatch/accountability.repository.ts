import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One step of a timeline as read from the event log. */
export interface TimelineEventRow {
  id: string;
  type: string;
  actor: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

export interface ResponseTimesRow {
  unit_code: string;
  tasks: number;
  acknowledged: number;
  done: number;
  ack_median: number | null;
  ack_worst: string | null;
  done_median: number | null;
  done_worst: string | null;
  overdue: number;
}

/** The reads behind timelines and response times: event log rows of a task or report, task durations per unit. */
@Injectable()
export class AccountabilityRepository {
  constructor(private readonly dataSource: DataSource) {}

  async task(taskId: string): Promise<{ id: string; unit_path: string[]; report_id: string | null } | undefined> {
    const rows = (await this.dataSource.query(`SELECT id, unit_path, report_id FROM tasks WHERE id = $1`, [taskId])) as {
      id: string;
      unit_path: string[];
      report_id: string | null;
    }[];
    return rows[0];
  }

  /** The task's own events, through its transition log and escalation rows (both indexed by task). */
  async taskEvents(taskId: string): Promise<TimelineEventRow[]> {
    return (await this.dataSource.query(
      `SELECT e.id, e.type, e.actor, e.occurred_at, e.payload FROM event_log e
       WHERE e.id IN (SELECT event_id FROM task_transitions WHERE task_id = $1 UNION ALL SELECT event_id FROM task_escalations WHERE task_id = $1)
       ORDER BY e.occurred_at, e.seq`,
      [taskId],
    )) as TimelineEventRow[];
  }

  async event(eventId: string): Promise<(TimelineEventRow & { unit_path: string[] }) | undefined> {
    const rows = (await this.dataSource.query(`SELECT id, type, actor, occurred_at, payload, unit_path FROM event_log WHERE id = $1`, [
      eventId,
    ])) as (TimelineEventRow & { unit_path: string[] })[];
    return rows[0];
  }

  /** Events whose payload names this report, oldest first. */
  async eventsOfReport(reportId: string): Promise<TimelineEventRow[]> {
    return (await this.dataSource.query(
      `SELECT id, type, actor, occurred_at, payload FROM event_log WHERE payload ? 'reportId' AND payload->>'reportId' = $1 ORDER BY occurred_at, seq`,
      [reportId],
    )) as TimelineEventRow[];
  }

  /** Per unit of the subtree, tasks created that local day (drills excluded): counts and durations in seconds. */
  /** Tasks created in [from, to) (one local day, computed in the deployment's time zone by the caller). */
  async responseTimes(unitCode: string, from: Date, to: Date): Promise<ResponseTimesRow[]> {
    return (await this.dataSource.query(
      `SELECT unit_code, count(*)::int AS tasks,
              count(acknowledged_at)::int AS acknowledged,
              count(*) FILTER (WHERE state = 'done')::int AS done,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at))
                FILTER (WHERE acknowledged_at IS NOT NULL) AS ack_median,
              max(extract(epoch FROM acknowledged_at - created_at)) AS ack_worst,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at))
                FILTER (WHERE state = 'done') AS done_median,
              max(extract(epoch FROM closed_at - created_at)) FILTER (WHERE state = 'done') AS done_worst,
              count(*) FILTER (WHERE acknowledged_at IS NULL AND state <> 'cancelled' AND acknowledge_by < now())::int AS overdue
       FROM tasks
       WHERE unit_path @> ARRAY[$1]::text[] AND NOT drill
         AND created_at >= $2 AND created_at < $3
       GROUP BY unit_code ORDER BY unit_code`,
      [unitCode, from, to],
    )) as ResponseTimesRow[];
  }
}
