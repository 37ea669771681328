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
import { taskDeadlines } from '@frontline/queue';
import type { Logger } from '@frontline/logger';
import { AppendItem, EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { reachableRecord, referenceNotFound, unitInJurisdiction } from '../common/jurisdiction';
import { reachOf } from '@frontline/contracts';
import { isClosed, nextState, TaskAction, TaskState } from './task-machine';
import { ZonesRepository } from '../zones/zones.repository';
import { ReportTriageRepository } from './report-triage.repository';
import { TaskRow, taskView } from './task-rows';
import { TaskFilter, TasksRepository, TaskStateChange, TaskTransition } from './tasks.repository';
import { TeamLock, TeamsRepository } from './teams.repository';

type TasksQuery = z.infer<typeof tasksQuerySchema>;

/** Actions a member of the assigned team may take from the field page. */
const FIELD_ACTIONS: readonly TaskAction[] = ['acknowledge', 'en-route', 'on-scene', 'complete'];

export interface ActionExtra {
  teamId?: string;
  reason?: string;
}

/** A pending write: event inputs and the task's transitions. */
interface Pending {
  items: AppendItem[];
  transitions: Omit<TaskTransition, 'clientActionId'>[];
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
    private readonly tasks: TasksRepository,
    private readonly teams: TeamsRepository,
    private readonly zones: ZonesRepository,
    private readonly reports: ReportTriageRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(request: CreateTaskRequest, caller: Principal, actionId: string | null): Promise<TaskActionResponse> {
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

    const outcome = await this.unitOfWork.run(async (em) => {
      if (request.lockdownId) await this.assertLockdownCovers(em, request.lockdownId, request.place, caller);
      const inserted = await this.tasks.insert(em, {
        id: taskId,
        unitCode: unit.code,
        unitPath: unit.path,
        type: request.type,
        priority: request.priority,
        place: request.place,
        reportId: request.reportId ?? null,
        lockdownId: request.lockdownId ?? null,
        note: request.note ?? null,
        acknowledgeBy,
        finishBy,
        createdBy: actor,
        clientActionId: actionId,
        drill,
        createdAt: now,
      });
      if (!inserted) return null; // the same action committed concurrently
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
    const outcome = await this.unitOfWork.run(async (em) => {
      const task = await this.tasks.findForUpdate(em, taskId);
      if (!task) throw new NotFoundException(`no task with id "${taskId}"`);
      await this.assertMayAct(em, task, action, caller);

      if (actionId) {
        const earlier = await this.tasks.actionOfClientAction(em, taskId, actionId);
        if (earlier !== undefined) {
          if (earlier !== action) {
            throw new ConflictException(
              `client action id "${actionId}" was already used for "${earlier}" on this task; use a new id for "${action}"`,
            );
          }
          return { created: [], eventId: null };
        }
      }

      const next = nextState(task.state, action);
      if (!next.ok) throw new ConflictException(next.reason);

      const pending: Pending = { items: [], transitions: [] };
      const place = { lat: task.lat, lon: task.lon };
      let eventId: string = randomUUID();
      if (action === 'assign') {
        const team = await this.lockTeam(em, extra.teamId!, caller, 'body.teamId');
        if (team.id === task.team_id) throw new ConflictException('the task is already assigned to this team');
        eventId = await this.assignTo(em, pending, task, team, task.state);
      } else {
        let change: TaskStateChange = {};
        if (action === 'acknowledge') {
          change = { acknowledged: true };
          pending.items.push(this.item(eventId, 'task.acknowledged', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id, teamId: task.team_id! }));
        } else if (action === 'en-route' || action === 'on-scene') {
          pending.items.push(this.item(eventId, 'task.progressed', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id, state: action }));
        } else if (action === 'complete') {
          change = { closed: true };
          pending.items.push(this.item(eventId, 'task.completed', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id }));
        } else {
          change = { closed: true, cancelReason: extra.reason! };
          pending.items.push(this.item(eventId, 'task.cancelled', task.unit_code, task.unit_path, place, task.drill, { taskId: task.id, reason: extra.reason! }));
        }
        await this.tasks.setState(em, task.id, next.to, change);
        pending.transitions.push({ from: task.state, to: next.to, action, teamId: task.team_id, eventId });
        if (isClosed(next.to) && task.team_id) await this.releaseTeam(em, pending, task.team_id, task.id);
      }
      await this.writeTransitions(em, task.id, pending, actor, actionId);
      const appended = await this.store.append(pending.items, actor, em);
      return { created: appended.created, eventId };
    });

    if (outcome.created.length) this.logger.info({ actor: caller.userId, taskId, action }, 'task action applied');
    return {
      task: (await this.find(taskId))!,
      eventId: outcome.created.length ? outcome.eventId : null,
      alreadyApplied: !outcome.created.length,
    };
  }

  async get(taskId: string, caller: Principal): Promise<TaskView> {
    const task = await this.tasks.find(taskId);
    // A task outside the caller's jurisdiction (and not their team's) is answered as an unknown one.
    if (!task || (!UnitDirectory.within(caller.unitCode, task.unit_path) && !(await this.isMember(this.dataSource, task.team_id, caller)))) {
      throw new NotFoundException(`no task with id "${taskId}"`);
    }
    return taskView(task);
  }

  /** Tasks of a unit's subtree (default: the caller's unit); a field-team member sees their teams' tasks. */
  async list(query: TasksQuery, caller: Principal): Promise<{ tasks: TaskView[] }> {
    const filter: TaskFilter = { state: query.state, openOnly: query.open === 'true', caseId: query.caseId?.toLowerCase() };
    if (reachOf(caller.role, 'tasks.read') === 'own-team' && !query.unit) {
      filter.memberUserId = caller.userId;
    } else {
      filter.unitCode = (await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller)).code;
    }
    const rows = await this.tasks.list(filter);
    return { tasks: rows.map(taskView) };
  }

  async find(taskId: string, manager: EntityManager | DataSource = this.dataSource): Promise<TaskView | null> {
    const row = await this.tasks.find(taskId, manager);
    return row ? taskView(row) : null;
  }

  private async byClientAction(actor: string, actionId: string): Promise<TaskView | null> {
    const row = await this.tasks.findByClientAction(actor, actionId);
    return row ? taskView(row) : null;
  }

  /** The report a task comes from: an urgent report of the caller's jurisdiction, still open. Returns its drill flag. */
  private async assertOpenReport(reportId: string, caller: Principal): Promise<boolean> {
    const report = await this.reports.findReport(reportId);
    // A report of another jurisdiction is answered as an unknown one (no probing of ids).
    if (!report || !UnitDirectory.within(caller.unitCode, report.unitPath)) throw referenceNotFound('body.reportId', 'no such report');
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
    const lockdown = await this.zones.shareLockCovering(em, lockdownId, place);
    // A lockdown of another jurisdiction is answered as an unknown one (no probing of ids).
    if (!lockdown || !UnitDirectory.within(caller.unitCode, lockdown.unitPath)) throw referenceNotFound('body.lockdownId', 'no such lockdown');
    if (lockdown.state !== 'active') throw new ConflictException('body.lockdownId: the lockdown is lifted: no supply task can be added to it');
    if (!lockdown.covers) {
      throw new BadRequestException({ message: 'body.place: outside the lockdown area', details: [{ path: 'body.place', message: 'outside the lockdown area' }] });
    }
  }

  private async assertMayAct(em: EntityManager, task: TaskRow, action: TaskAction, caller: Principal): Promise<void> {
    const reach = reachOf(caller.role, FIELD_ACTIONS.includes(action) ? 'tasks.step' : 'dispatch.manage');
    if (reach === 'subtree') {
      reachableRecord(task, (t) => t.unit_path, caller, `no task with id "${task.id}"`);
      return;
    }
    if (reach !== 'own-team') throw new ForbiddenException(`role ${caller.role} may not ${action} tasks`);
    if (!(await this.isMember(em, task.team_id, caller))) {
      throw new ForbiddenException('only a member of the team assigned to this task (or a duty officer) may do this');
    }
  }

  private async isMember(db: EntityManager | DataSource, teamId: string | null, caller: Principal): Promise<boolean> {
    if (!teamId) return false;
    return this.teams.isMember(teamId, caller.userId, db);
  }

  private async lockTeam(em: EntityManager, teamId: string, caller: Principal, field: string): Promise<TeamLock> {
    const team = await this.teams.lock(em, teamId);
    // A team of another jurisdiction is answered as an unknown one (no probing of ids).
    if (!team || !UnitDirectory.within(caller.unitCode, team.unit_path)) throw referenceNotFound(field, 'no such team');
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
    await this.tasks.assignTeam(em, task.id, team.id);
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
    const team = await this.teams.lock(em, teamId);
    if (!team || team.status !== 'on-task') return;
    if (!(await this.tasks.teamHasOpenTask(em, teamId, taskId))) await this.setTeamStatus(em, pending, team, 'available', taskId);
  }

  private async setTeamStatus(em: EntityManager, pending: Pending, team: TeamLock, status: TeamLock['status'], taskId: string): Promise<void> {
    await this.teams.setStatus(em, team.id, status);
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
    await this.tasks.insertTransitions(
      em,
      taskId,
      actor,
      pending.transitions.map((t, i) => ({ ...t, clientActionId: i === last && t.action !== 'create' ? actionId : null })),
    );
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

