import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TaskView } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';
import type { TaskState } from './task-machine';
import { TASK_COLUMNS, TaskRow } from './task-rows';

const OPEN_STATES = ['assigned', 'acknowledged', 'en-route', 'on-scene'];

export interface NewTask {
  id: string;
  unitCode: string;
  unitPath: string[];
  type: TaskView['type'];
  priority: TaskView['priority'];
  place: { lat: number; lon: number };
  reportId: string | null;
  lockdownId: string | null;
  note: string | null;
  acknowledgeBy: Date;
  finishBy: Date;
  createdBy: string;
  clientActionId: string | null;
  drill: boolean;
  createdAt: Date;
}

/** What a state change writes beside the new state. */
export interface TaskStateChange {
  acknowledged?: boolean;
  closed?: boolean;
  cancelReason?: string;
}

export interface TaskTransition {
  from: TaskState | null;
  to: TaskState;
  action: string;
  teamId: string | null;
  eventId: string;
  clientActionId: string | null;
}

/** Which tasks a list shows: a subtree of units, or the teams of one field-team member. */
export interface TaskFilter {
  unitCode?: string;
  memberUserId?: string;
  state?: TaskState;
  openOnly?: boolean;
  caseId?: string;
}

/** Tasks (`tasks`), their transition log (`task_transitions`) and their escalations as read back. */
@Injectable()
export class TasksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** False when the same client action committed the task already (nothing inserted). */
  async insert(em: EntityManager, task: NewTask): Promise<boolean> {
    const inserted = (await em.query(
      `INSERT INTO tasks (id, unit_code, unit_path, type, priority, place, report_id, note, acknowledge_by, finish_by,
                          created_by, client_action_id, drill, created_at, updated_at, lockdown_id)
       VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)
       ON CONFLICT (created_by, client_action_id) WHERE client_action_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        task.id,
        task.unitCode,
        task.unitPath,
        task.type,
        task.priority,
        task.place.lon,
        task.place.lat,
        task.reportId,
        task.note,
        task.acknowledgeBy,
        task.finishBy,
        task.createdBy,
        task.clientActionId,
        task.drill,
        task.createdAt,
        task.lockdownId,
      ],
    )) as { id: string }[];
    return inserted.length > 0;
  }

  async find(taskId: string, db: Queryable = this.dataSource): Promise<TaskRow | undefined> {
    const rows = (await db.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1`, [taskId])) as TaskRow[];
    return rows[0];
  }

  /** The task locked for the rest of the transaction. */
  async findForUpdate(em: EntityManager, taskId: string): Promise<TaskRow | undefined> {
    const rows = (await em.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 FOR UPDATE`, [taskId])) as TaskRow[];
    return rows[0];
  }

  /** The task an actor created with this client action id. */
  async findByClientAction(actor: string, actionId: string): Promise<TaskRow | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.created_by = $1 AND t.client_action_id = $2`,
      [actor, actionId],
    )) as TaskRow[];
    return rows[0];
  }

  /** Newest first, at most 1000. */
  async list(filter: TaskFilter): Promise<TaskRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.memberUserId !== undefined) {
      params.push(filter.memberUserId);
      where.push(`t.team_id IN (SELECT team_id FROM team_members WHERE user_id = $${params.length})`);
    } else {
      params.push([filter.unitCode]);
      where.push(`t.unit_path @> $${params.length}::text[]`);
    }
    if (filter.state) {
      params.push(filter.state);
      where.push(`t.state = $${params.length}`);
    }
    if (filter.openOnly) where.push(`t.state NOT IN ('done', 'cancelled')`);
    if (filter.caseId) {
      params.push(filter.caseId);
      where.push(`t.case_id = $${params.length}`);
    }
    return (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC LIMIT 1000`,
      params,
    )) as TaskRow[];
  }

  /** Supply tasks created for a lockdown, newest first. */
  async listForLockdown(lockdownId: string, openOnly: boolean): Promise<TaskRow[]> {
    return (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.lockdown_id = $1 AND (NOT $2 OR t.state NOT IN ('done', 'cancelled'))
       ORDER BY t.created_at DESC LIMIT 1000`,
      [lockdownId, openOnly],
    )) as TaskRow[];
  }

  /** Ids of the tasks made from a report, oldest first. */
  async idsForReport(reportId: string, db: Queryable = this.dataSource): Promise<string[]> {
    const rows = (await db.query(`SELECT id FROM tasks WHERE report_id = $1 ORDER BY created_at`, [reportId])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async hasOpenForReport(em: EntityManager, reportId: string): Promise<boolean> {
    const rows = (await em.query(`SELECT id FROM tasks WHERE report_id = $1 AND state NOT IN ('done', 'cancelled') LIMIT 1`, [
      reportId,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** Open tasks of a merged report follow the report it was merged into. */
  async moveOpenToReport(em: EntityManager, fromReportId: string, toReportId: string): Promise<void> {
    await em.query(`UPDATE tasks SET report_id = $2, updated_at = now() WHERE report_id = $1 AND state NOT IN ('done', 'cancelled')`, [
      fromReportId,
      toReportId,
    ]);
  }

  /** Whether the team has an open task, leaving out one task (the one being closed or moved). */
  async teamHasOpenTask(em: EntityManager, teamId: string, exceptTaskId: string | null = null): Promise<boolean> {
    const rows = (await em.query(`SELECT 1 FROM tasks WHERE team_id = $1 AND id IS DISTINCT FROM $2 AND state = ANY($3) LIMIT 1`, [
      teamId,
      exceptTaskId,
      OPEN_STATES,
    ])) as unknown[];
    return rows.length > 0;
  }

  async assignTeam(em: EntityManager, taskId: string, teamId: string): Promise<void> {
    await em.query(`UPDATE tasks SET team_id = $2, state = 'assigned', updated_at = now() WHERE id = $1`, [taskId, teamId]);
  }

  async setState(em: EntityManager, taskId: string, state: TaskState, change: TaskStateChange): Promise<void> {
    const sets: string[] = ['state = $2', 'updated_at = now()'];
    const params: unknown[] = [taskId, state];
    if (change.acknowledged) sets.push('acknowledged_at = now()');
    if (change.closed) sets.push('closed_at = now()');
    if (change.cancelReason !== undefined) {
      params.push(change.cancelReason);
      sets.push(`cancel_reason = $${params.length}`);
    }
    await em.query(`UPDATE tasks SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** The action a client action id was already used for on this task, if any. */
  async actionOfClientAction(em: EntityManager, taskId: string, actionId: string): Promise<string | undefined> {
    const rows = (await em.query(`SELECT action FROM task_transitions WHERE task_id = $1 AND client_action_id = $2`, [
      taskId,
      actionId,
    ])) as { action: string }[];
    return rows[0]?.action;
  }

  async insertTransitions(em: EntityManager, taskId: string, actor: string, transitions: TaskTransition[]): Promise<void> {
    for (const t of transitions) {
      await em.query(
        `INSERT INTO task_transitions (task_id, from_state, to_state, action, team_id, actor, event_id, client_action_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [taskId, t.from, t.to, t.action, t.teamId, actor, t.eventId, t.clientActionId],
      );
    }
  }
}
