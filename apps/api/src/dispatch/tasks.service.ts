import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  CreateTaskRequest,
  EventInput,
  TaskActionResponse,
  TaskView,
  tasksQuerySchema,
} from '@frontline/contracts';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { EscalationScheduler, taskDeadlines } from '@frontline/queue';
import type { Logger } from '@frontline/logger';
import { AppendItem, EventStore, LOGGER, StreamPublisher, UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { assertDispatcher, isDispatcher } from './dispatch-access';
import { isClosed, nextState, TaskAction, TaskState } from './task-machine';
import { TASK_COLUMNS, TaskRow, taskView } from './task-rows';

type TasksQuery = z.infer<typeof tasksQuerySchema>;

/** Actions a member of the assigned team may take from the field page. */
const FIELD_ACTIONS: readonly TaskAction[] = ['acknowledge', 'en-route', 'on-scene', 'complete'];
const OPEN_STATES = ['assigned', 'acknowledged', 'en-route', 'on-scene'];

interface TeamLock {
  id: string;
  unit_code: string;
  unit_path: string[];
  status: 'available' | 'on-task' | 'off-duty';
}

export interface ActionExtra {
  teamId?: string;
  reason?: string;
}

/** A pending write: event inputs, plus what to do with the escalation jobs after the commit. */
interface Pending {
  items: AppendItem[];
  transitions: { from: TaskState | null; to: TaskState; action: string; teamId: string | null; eventId: string }[];
}

/**
 * Tasks and their state machine (docs/decisions/0011-dispatch-and-escalation.md). Every action
 * locks the task row, checks the transition, updates the tables and appends its events in ONE
 * transaction, then publishes. A client action id seen before answers with the task as it is,
 * applying nothing.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly units: UnitDirectory,
    private readonly scheduler: EscalationScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(request: CreateTaskRequest, caller: Principal, actionId: string | null): Promise<TaskActionResponse> {
    assertDispatcher(caller, 'create tasks');
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const actor = `user:${caller.userId}`;
    if (actionId) {
      const earlier = await this.byClientAction(actor, actionId);
      if (earlier) return { task: earlier, eventId: null, alreadyApplied: true };
    }
    let drill = false;
    if (request.reportId) drill = await this.assertOpenReport(request.reportId, caller);

    const now = new Date();
    const { acknowledge: acknowledgeBy, finish: finishBy } = taskDeadlines(this.config, request.priority, now);
    const taskId = randomUUID();

    const outcome = await this.dataSource.transaction(async (em) => {
      if (request.lockdownId) await this.assertLockdownCovers(em, request.lockdownId, request.place, caller);
      const inserted = (await em.query(
        `INSERT INTO tasks (id, unit_code, unit_path, type, priority, place, report_id, note, acknowledge_by, finish_by,
                            created_by, client_action_id, drill, created_at, updated_at, lockdown_id)
         VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)
         ON CONFLICT (created_by, client_action_id) WHERE client_action_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          taskId,
          unit.code,
          unit.path,
          request.type,
          request.priority,
          request.place.lon,
          request.place.lat,
          request.reportId ?? null,
          request.note ?? null,
          acknowledgeBy,
          finishBy,
          actor,
          actionId,
          drill,
          now,
          request.lockdownId ?? null,
        ],
      )) as { id: string }[];
      if (!inserted.length) return null; // the same action committed concurrently
      const pending: Pending = { items: [], transitions: [] };
      const createdId = randomUUID();
      pending.items.push(
        this.item(createdId, 'task.created', unit.code, unit.path, request.place, drill, {
          taskId,
          taskType: request.type,
          priority: request.priority,
          ...(request.reportId ? { reportId: request.reportId } : {}),
          ...(request.lockdownId ? { lockdownId: request.lockdownId } : {}),
          acknowledgeBy: acknowledgeBy.toISOString(),
          finishBy: finishBy.toISOString(),
        }),
      );
      pending.transitions.push({ from: null, to: 'created', action: 'create', teamId: null, eventId: createdId });
      if (request.teamId) {
        const team = await this.lockTeam(em, request.teamId, caller, 'body.teamId');
        await this.assignTo(em, pending, { id: taskId, unit_code: unit.code, unit_path: unit.path, team_id: null, drill, lat: request.place.lat, lon: request.place.lon }, team, 'created');
      }
      await this.writeTransitions(em, taskId, pending, actor, actionId);
      const appended = await this.store.append(pending.items, actor, em);
      return { created: appended.created, eventId: createdId };
    });
    if (!outcome) {
      const earlier = await this.byClientAction(actor, actionId!);
      return { task: earlier!, eventId: null, alreadyApplied: true };
    }
    await this.publisher.publish(outcome.created);
    await this.scheduler.schedule(taskId, { acknowledge: acknowledgeBy, finish: finishBy });
    this.logger.info({ actor: caller.userId, taskId, unit: unit.code, priority: request.priority }, 'task created');
    return { task: (await this.find(taskId))!, eventId: outcome.eventId, alreadyApplied: false };
  }

  /** assign / acknowledge / en-route / on-scene / complete / cancel. */
  async act(
    taskId: string,
    action: TaskAction,
    extra: ActionExtra,
    caller: Principal,
    actionId: string | null,
  ): Promise<TaskActionResponse> {
    const actor = `user:${caller.userId}`;
    const outcome = await this.dataSource.transaction(async (em) => {
      const rows = (await em.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 FOR UPDATE`, [taskId])) as TaskRow[];
      const task = rows[0];
      if (!task) throw new NotFoundException(`no task with id "${taskId}"`);
      await this.assertMayAct(em, task, action, caller);

      if (actionId) {
        const earlier = (await em.query(
          `SELECT action, event_id FROM task_transitions WHERE task_id = $1 AND client_action_id = $2`,
          [taskId, actionId],
        )) as { action: string; event_id: string }[];
        if (earlier.length) {
          if (earlier[0].action !== action) {
            throw new ConflictException(
              `client action id "${actionId}" was already used for "${earlier[0].action}" on this task; use a new id for "${action}"`,
            );
          }
          return { created: [], eventId: null, task, drop: [] as ('acknowledge' | 'finish')[], schedule: false };
        }
      }

      const next = nextState(task.state, action);
      if (!next.ok) throw new ConflictException(next.reason);

      const pending: Pending = { items: [], transitions: [] };
      const place = { lat: task.lat, lon: task.lon };
      let eventId: string = randomUUID();
      let drop: ('acknowledge' | 'finish')[] = [];
      let schedule = false;
      if (action === 'assign') {
        const team = await this.lockTeam(em, extra.teamId!, caller, 'body.teamId');
        if (team.id === task.team_id) throw new ConflictException('the task is already assigned to this team');
        eventId = await this.assignTo(em, pending, task, team, task.state);
        schedule = true;
      } else {
        const sets: string[] = ['state = $2', 'updated_at = now()'];
        const params: unknown[] = [task.id, next.to];
        if (action === 'acknowledge') {
          sets.push('acknowledged_at = now()');
          pending.items.push(this.item(eventId, 'task.acknowledged', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id, teamId: task.team_id! }));
          drop = ['acknowledge'];
        } else if (action === 'en-route' || action === 'on-scene') {
          pending.items.push(this.item(eventId, 'task.progressed', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id, state: action }));
        } else if (action === 'complete') {
          sets.push('closed_at = now()');
          pending.items.push(this.item(eventId, 'task.completed', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id }));
          drop = ['acknowledge', 'finish'];
        } else {
          sets.push('closed_at = now()', `cancel_reason = $3`);
          params.push(extra.reason!);
          pending.items.push(this.item(eventId, 'task.cancelled', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id, reason: extra.reason! }));
          drop = ['acknowledge', 'finish'];
        }
        await em.query(`UPDATE tasks SET ${sets.join(', ')} WHERE id = $1`, params);
        pending.transitions.push({ from: task.state, to: next.to, action, teamId: task.team_id, eventId });
        if (isClosed(next.to) && task.team_id) await this.releaseTeam(em, pending, task.team_id, task.id);
      }
      await this.writeTransitions(em, task.id, pending, actor, actionId);
      const appended = await this.store.append(pending.items, actor, em);
      return { created: appended.created, eventId, task, drop, schedule };
    });

    if (outcome.created.length) {
      await this.publisher.publish(outcome.created);
      this.logger.info({ actor: caller.userId, taskId, action }, 'task action applied');
    }
    if (outcome.drop.length) await this.scheduler.drop(taskId, outcome.drop);
    if (outcome.schedule) {
      await this.scheduler.schedule(taskId, { acknowledge: outcome.task.acknowledge_by, finish: outcome.task.finish_by });
    }
    return {
      task: (await this.find(taskId))!,
      eventId: outcome.created.length ? outcome.eventId : null,
      alreadyApplied: !outcome.created.length,
    };
  }

  async get(taskId: string, caller: Principal): Promise<TaskView> {
    const rows = (await this.dataSource.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1`, [taskId])) as TaskRow[];
    const task = rows[0];
    if (!task) throw new NotFoundException(`no task with id "${taskId}"`);
    if (!UnitDirectory.within(caller.unitCode, task.unit_path) && !(await this.isMember(this.dataSource, task.team_id, caller))) {
      throw new ForbiddenException('this task is outside your jurisdiction');
    }
    return taskView(task);
  }

  /** Tasks of a unit's subtree (default: the caller's unit); a field-team member sees their teams' tasks. */
  async list(query: TasksQuery, caller: Principal): Promise<{ tasks: TaskView[] }> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (caller.role === 'field-team' && !query.unit) {
      params.push(caller.userId);
      where.push(`t.team_id IN (SELECT team_id FROM team_members WHERE user_id = $${params.length})`);
    } else {
      const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
      params.push([unit.code]);
      where.push(`t.unit_path @> $${params.length}::text[]`);
    }
    if (query.state) {
      params.push(query.state);
      where.push(`t.state = $${params.length}`);
    }
    if (query.open === 'true') where.push(`t.state NOT IN ('done', 'cancelled')`);
    if (query.caseId) {
      params.push(query.caseId.toLowerCase());
      where.push(`t.case_id = $${params.length}`);
    }
    const rows = (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC LIMIT 1000`,
      params,
    )) as TaskRow[];
    return { tasks: rows.map(taskView) };
  }

  async find(taskId: string, manager: EntityManager | DataSource = this.dataSource): Promise<TaskView | null> {
    const rows = (await manager.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1`, [taskId])) as TaskRow[];
    return rows[0] ? taskView(rows[0]) : null;
  }

  private async byClientAction(actor: string, actionId: string): Promise<TaskView | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.created_by = $1 AND t.client_action_id = $2`,
      [actor, actionId],
    )) as TaskRow[];
    return rows[0] ? taskView(rows[0]) : null;
  }

  /** The report a task comes from: an urgent report of the caller's jurisdiction, still open. Returns its drill flag. */
  private async assertOpenReport(reportId: string, caller: Principal): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT e.type, e.unit_path, e.drill, r.state FROM event_log e LEFT JOIN report_triage r ON r.report_id = e.id WHERE e.id = $1`,
      [reportId],
    )) as { type: string; unit_path: string[]; drill: boolean; state: string | null }[];
    const report = rows[0];
    if (!report || report.type !== 'report.received') {
      throw new NotFoundException({ message: `body.reportId: no report with id "${reportId}"`, details: [{ path: 'body.reportId', message: 'unknown report' }] });
    }
    if (!UnitDirectory.within(caller.unitCode, report.unit_path)) {
      throw new ForbiddenException('body.reportId: this report is outside your jurisdiction');
    }
    if (report.state === 'closed' || report.state === 'merged') {
      throw new ConflictException(`body.reportId: the report is ${report.state}: no task can be created from it`);
    }
    return report.drill;
  }

  /**
   * A supply task belongs to an active lockdown of the caller's jurisdiction and is delivered
   * inside its area. The lockdown row is share-locked so it cannot be lifted under the insert.
   */
  private async assertLockdownCovers(em: EntityManager, lockdownId: string, place: { lat: number; lon: number }, caller: Principal): Promise<void> {
    const rows = (await em.query(
      `SELECT unit_path, state, ST_Covers(area, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS covers FROM lockdowns WHERE id = $1 FOR SHARE`,
      [lockdownId, place.lon, place.lat],
    )) as { unit_path: string[]; state: string; covers: boolean }[];
    const lockdown = rows[0];
    if (!lockdown) {
      throw new NotFoundException({ message: `body.lockdownId: no lockdown with id "${lockdownId}"`, details: [{ path: 'body.lockdownId', message: 'unknown lockdown' }] });
    }
    if (!UnitDirectory.within(caller.unitCode, lockdown.unit_path)) throw new ForbiddenException('body.lockdownId: this lockdown is outside your jurisdiction');
    if (lockdown.state !== 'active') throw new ConflictException('body.lockdownId: the lockdown is lifted: no supply task can be added to it');
    if (!lockdown.covers) {
      throw new BadRequestException({ message: 'body.place: outside the lockdown area', details: [{ path: 'body.place', message: 'outside the lockdown area' }] });
    }
  }

  private async assertMayAct(em: EntityManager, task: TaskRow, action: TaskAction, caller: Principal): Promise<void> {
    const inJurisdiction = UnitDirectory.within(caller.unitCode, task.unit_path);
    if (isDispatcher(caller.role)) {
      if (!inJurisdiction) throw new ForbiddenException('this task is outside your jurisdiction');
      return;
    }
    if (!FIELD_ACTIONS.includes(action)) throw new ForbiddenException(`role ${caller.role} may not ${action} tasks`);
    if (caller.role !== 'field-team') throw new ForbiddenException(`role ${caller.role} may not act on tasks`);
    if (!(await this.isMember(em, task.team_id, caller))) {
      throw new ForbiddenException('only a member of the team assigned to this task (or a duty officer) may do this');
    }
  }

  private async isMember(db: EntityManager | DataSource, teamId: string | null, caller: Principal): Promise<boolean> {
    if (!teamId) return false;
    const rows = (await db.query(`SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2`, [teamId, caller.userId])) as unknown[];
    return rows.length > 0;
  }

  private async lockTeam(em: EntityManager, teamId: string, caller: Principal, field: string): Promise<TeamLock> {
    const rows = (await em.query(`SELECT id, unit_code, unit_path, status FROM teams WHERE id = $1 FOR UPDATE`, [teamId])) as TeamLock[];
    const team = rows[0];
    if (!team) throw new NotFoundException({ message: `${field}: no team with id "${teamId}"`, details: [{ path: field, message: 'unknown team' }] });
    if (!UnitDirectory.within(caller.unitCode, team.unit_path)) {
      throw new ForbiddenException(`${field}: this team is outside your jurisdiction`);
    }
    if (team.status === 'off-duty') throw new ConflictException(`${field}: the team is off duty and cannot take a task`);
    return team;
  }

  /** Assigns (or re-assigns) the locked task to a team: the task row, task.assigned, team statuses. Returns the event id. */
  private async assignTo(
    em: EntityManager,
    pending: Pending,
    task: Pick<TaskRow, 'id' | 'unit_code' | 'unit_path' | 'team_id' | 'drill' | 'lat' | 'lon'>,
    team: TeamLock,
    from: TaskState,
  ): Promise<string> {
    await em.query(`UPDATE tasks SET team_id = $2, state = 'assigned', updated_at = now() WHERE id = $1`, [task.id, team.id]);
    const eventId = randomUUID();
    pending.items.push(
      this.item(eventId, 'task.assigned', task.unit_code, task.unit_path, { lat: task.lat, lon: task.lon }, task.drill, {
        taskId: task.id,
        teamId: team.id,
        ...(task.team_id ? { previousTeamId: task.team_id } : {}),
      }),
    );
    pending.transitions.push({ from, to: 'assigned', action: 'assign', teamId: team.id, eventId });
    if (task.team_id) await this.releaseTeam(em, pending, task.team_id, task.id);
    if (team.status === 'available') await this.setTeamStatus(em, pending, team, 'on-task', task.id);
    return eventId;
  }

  /** A team with no other open task is available again. */
  private async releaseTeam(em: EntityManager, pending: Pending, teamId: string, taskId: string): Promise<void> {
    const rows = (await em.query(`SELECT id, unit_code, unit_path, status FROM teams WHERE id = $1 FOR UPDATE`, [teamId])) as TeamLock[];
    const team = rows[0];
    if (!team || team.status !== 'on-task') return;
    const open = (await em.query(
      `SELECT 1 FROM tasks WHERE team_id = $1 AND id <> $2 AND state = ANY($3) LIMIT 1`,
      [teamId, taskId, OPEN_STATES],
    )) as unknown[];
    if (!open.length) await this.setTeamStatus(em, pending, team, 'available', taskId);
  }

  private async setTeamStatus(em: EntityManager, pending: Pending, team: TeamLock, status: TeamLock['status'], taskId: string): Promise<void> {
    await em.query(`UPDATE teams SET status = $2, updated_at = now() WHERE id = $1`, [team.id, status]);
    pending.items.push(
      this.item(randomUUID(), 'team.status-changed', team.unit_code, team.unit_path, undefined, false, {
        teamId: team.id,
        status,
        previous: team.status,
        taskId,
      }),
    );
  }

  private async writeTransitions(em: EntityManager, taskId: string, pending: Pending, actor: string, actionId: string | null): Promise<void> {
    // The client action id goes on the transition the request asked for (the last one).
    const last = pending.transitions.length - 1;
    for (const [i, t] of pending.transitions.entries()) {
      await em.query(
        `INSERT INTO task_transitions (task_id, from_state, to_state, action, team_id, actor, event_id, client_action_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [taskId, t.from, t.to, t.action, t.teamId, actor, t.eventId, i === last && t.action !== 'create' ? actionId : null],
      );
    }
  }

  private item(
    id: string,
    type: EventInput['type'],
    unit: string,
    unitPath: string[],
    location: { lat: number; lon: number } | undefined,
    drill: boolean,
    payload: Record<string, unknown>,
  ): AppendItem {
    return {
      input: {
        id,
        type,
        unit,
        occurredAt: new Date().toISOString(),
        ...(location ? { location } : {}),
        ...(drill ? { drill: true } : {}),
        payload,
      } as EventInput,
      unitPath,
    };
  }
}

