import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { GeoPoint } from '@frontline/contracts';
import { Queryable, UserEntity } from '@frontline/database';
import type { AppConfig } from '@frontline/config';
import type { DeadlineKind, EscalationJob } from '@frontline/queue';

/** A task as an escalation needs it, locked for the escalating transaction. */
export interface LockedTask {
  id: string;
  state: string;
  unitCode: string;
  unitPath: string[];
  priority: keyof AppConfig['DISPATCH_ACK_DEADLINES'];
  drill: boolean;
  place: GeoPoint;
}

/** An open deadline due by the horizon, with the last level it reached (none yet: null). */
export interface OpenDeadline {
  taskId: string;
  deadline: DeadlineKind;
  due: Date;
  priority: keyof AppConfig['DISPATCH_ACK_DEADLINES'];
  /** The task belongs to a root unit: no unit above it to escalate to. */
  root: boolean;
  last: { level: number; due: Date; escalatedAt: Date } | null;
}

interface OpenDeadlineRow {
  task_id: string;
  deadline: DeadlineKind;
  due: Date;
  priority: OpenDeadline['priority'];
  root: boolean;
  last_level: number | null;
  last_due: Date | null;
  last_at: Date | null;
}

/**
 * The tasks' deadlines as the worker follows them: a task locked for one escalation, the
 * (task, deadline, level) rows of `task_escalations` whose primary key lets one escalation
 * through, the open deadlines the sweep compares with BullMQ, and the accounts an escalation
 * alerts.
 */
@Injectable()
export class EscalationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The task, locked until the transaction ends (the api locks it too to acknowledge). */
  async lockTask(em: EntityManager, taskId: string): Promise<LockedTask | null> {
    const [row] = (await em.query(
      `SELECT id, state, unit_code, unit_path, priority, drill, ST_Y(place::geometry) AS lat, ST_X(place::geometry) AS lon
       FROM tasks WHERE id = $1 FOR UPDATE`,
      [taskId],
    )) as { id: string; state: string; unit_code: string; unit_path: string[]; priority: LockedTask['priority']; drill: boolean; lat: number; lon: number }[];
    if (!row) return null;
    return {
      id: row.id,
      state: row.state,
      unitCode: row.unit_code,
      unitPath: row.unit_path,
      priority: row.priority,
      drill: row.drill,
      place: { lat: row.lat, lon: row.lon },
    };
  }

  /** The task's two deadlines, or null when there is no such task. */
  async deadlinesOf(em: EntityManager, taskId: string): Promise<Record<DeadlineKind, Date> | null> {
    const [row] = (await em.query(`SELECT acknowledge_by, finish_by FROM tasks WHERE id = $1`, [taskId])) as {
      acknowledge_by: Date;
      finish_by: Date;
    }[];
    return row ? { acknowledge: row.acknowledge_by, finish: row.finish_by } : null;
  }

  /** Records that this level of the deadline escalates; false when it already has. */
  async claimLevel(em: EntityManager, job: EscalationJob, eventId: string): Promise<boolean> {
    const claimed = (await em.query(
      `INSERT INTO task_escalations (task_id, deadline, level, due_at, event_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING task_id`,
      [job.taskId, job.deadline, job.level, job.due, eventId],
    )) as unknown[];
    return claimed.length > 0;
  }

  /**
   * Open deadlines due by `horizon` that have not reached their last level (`maxLevel`, or 2
   * for a root unit's task), earliest first.
   */
  async openDeadlines(horizon: Date, maxLevel: number, limit: number): Promise<OpenDeadline[]> {
    const rows = (await this.dataSource.query(
      `WITH open_deadlines AS (
         SELECT id, 'acknowledge' AS deadline, acknowledge_by AS due, priority, array_length(unit_path, 1) = 1 AS root
         FROM tasks WHERE state IN ('created', 'assigned') AND acknowledge_by <= $1
         UNION ALL
         SELECT id, 'finish', finish_by, priority, array_length(unit_path, 1) = 1
         FROM tasks WHERE state NOT IN ('done', 'cancelled') AND finish_by <= $1)
       SELECT o.id AS task_id, o.deadline, o.due, o.priority, o.root, l.level AS last_level, l.due_at AS last_due, l.escalated_at AS last_at
       FROM open_deadlines o
       LEFT JOIN LATERAL (SELECT level, due_at, escalated_at FROM task_escalations e
                          WHERE e.task_id = o.id AND e.deadline = o.deadline ORDER BY level DESC LIMIT 1) l ON true
       -- a root-unit task has no unit above: its chain ends at level 2 (the worker's rule)
       WHERE COALESCE(l.level, 0) < CASE WHEN o.root THEN 2 ELSE $2 END
       ORDER BY o.due LIMIT $3`,
      [horizon, maxLevel, limit],
    )) as OpenDeadlineRow[];
    return rows.map((r) => ({
      taskId: r.task_id,
      deadline: r.deadline,
      due: r.due,
      priority: r.priority,
      root: r.root,
      last: r.last_level === null ? null : { level: r.last_level, due: r.last_due!, escalatedAt: r.last_at! },
    }));
  }

  /** The accounts linked to these people of the roster, in id order. */
  async accountsOfStaff(db: Queryable, staffIds: string[]): Promise<string[]> {
    const rows = (await db.query(
      `SELECT DISTINCT user_id FROM duty_staff WHERE id = ANY($1) AND user_id IS NOT NULL ORDER BY user_id`,
      [staffIds],
    )) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }

  /** The unit's active accounts with one of `roles`, in id order (when nobody is on the roster). */
  async activeAccounts(db: Queryable, unitCode: string, roles: string[]): Promise<string[]> {
    const users = await db.getRepository(UserEntity).find({
      select: { id: true },
      where: { unitCode, role: In(roles), active: true },
      order: { id: 'ASC' },
    });
    return users.map((u) => u.id);
  }
}
