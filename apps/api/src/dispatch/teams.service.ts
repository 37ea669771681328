import { ConflictException, Inject, Injectable, ForbiddenException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { CreateTeamRequest, NearestTeamsResponse, TeamView, teamsQuerySchema } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { reachableRecord, unitInJurisdiction } from '../common/jurisdiction';
import { fieldError } from '../common/validation';
import { teamView } from './task-rows';
import { TasksRepository } from './tasks.repository';
import { TeamsRepository, TeamStatus } from './teams.repository';

type TeamsQuery = z.infer<typeof teamsQuerySchema>;

/** Teams of a unit: created by a dispatcher, their status set by hand (off duty, back) or by their tasks. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamsRepository,
    private readonly tasks: TasksRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(query: TeamsQuery, caller: Principal): Promise<{ teams: TeamView[] }> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    const rows = await this.teams.list(unit.code, query.status ?? null);
    return { teams: rows.map(teamView) };
  }

  async create(request: CreateTeamRequest, caller: Principal): Promise<TeamView> {
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const userIds = [...new Set(request.memberUserIds ?? [])];
    const staffIds = [...new Set(request.memberStaffIds ?? [])];
    if (userIds.length) {
      const found = await this.teams.activeUsers(userIds);
      const missing = userIds.filter((id) => !found.some((u) => u.id === id));
      if (missing.length) throw fieldError(`body.memberUserIds[${userIds.indexOf(missing[0])}]`, `no active account "${missing[0]}"`);
      for (const u of found) {
        const home = await this.units.resolve(u.unitCode);
        if (!home || !UnitDirectory.within(caller.unitCode, home.path)) {
          throw new ForbiddenException(`body.memberUserIds: account "${u.id}" is outside your jurisdiction`);
        }
      }
    }
    if (staffIds.length) {
      const found = await this.teams.dutyStaff(staffIds);
      const missing = staffIds.filter((id) => !found.some((s) => s.id === id));
      if (missing.length) throw fieldError(`body.memberStaffIds[${staffIds.indexOf(missing[0])}]`, `no duty staff "${missing[0]}"`);
      if (found.some((s) => !UnitDirectory.within(caller.unitCode, s.path))) {
        throw new ForbiddenException('body.memberStaffIds: a person is outside your jurisdiction');
      }
    }
    const id = randomUUID();
    try {
      await this.dataSource.transaction((em) =>
        this.teams.insert(em, {
          id,
          unitCode: unit.code,
          unitPath: unit.path,
          name: request.name,
          kind: request.kind,
          base: request.base ?? null,
          userIds,
          staffIds,
        }),
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new ConflictException(`body.name: unit ${unit.code} already has a team named "${request.name}"`);
      }
      throw err;
    }
    this.logger.info({ actor: caller.userId, teamId: id, unit: unit.code }, 'team created');
    return (await this.find(id))!;
  }

  /** Off duty / back on duty by hand; `on-task` follows the team's tasks. */
  async setStatus(teamId: string, status: TeamStatus, caller: Principal): Promise<{ team: TeamView; eventId: string | null }> {
    const outcome = await this.unitOfWork.run(async (em) => {
      const team = reachableRecord(await this.teams.lock(em, teamId), (t) => t.unit_path, caller, `no team with id "${teamId}"`);
      if (team.status === status) return { created: [], eventId: null };
      const open = await this.tasks.teamHasOpenTask(em, teamId);
      if (open && status !== 'on-task') {
        throw new ConflictException(`body.status: the team has an open task; complete or cancel it before setting the team ${status}`);
      }
      if (!open && status === 'on-task') {
        throw new ConflictException('body.status: the team has no open task; assign it one instead');
      }
      await this.teams.setStatus(em, teamId, status);
      const eventId = randomUUID();
      const appended = await this.store.append(
        [
          {
            input: {
              id: eventId,
              type: 'team.status-changed',
              unit: team.unit_code,
              occurredAt: new Date().toISOString(),
              payload: { teamId, status, previous: team.status },
            },
            unitPath: team.unit_path,
          },
        ],
        `user:${caller.userId}`,
        em,
      );
      return { created: appended.created, eventId };
    });
    return { team: (await this.find(teamId))!, eventId: outcome.eventId };
  }

  /** Available teams of the caller's jurisdiction that can take this task (its kind; any kind for a supply task). */
  async nearest(taskId: string, limit: number, caller: Principal): Promise<NearestTeamsResponse> {
    const task = reachableRecord(await this.tasks.find(taskId), (t) => t.unit_path, caller, `no task with id "${taskId}"`);
    const rows = await this.teams.nearestAvailable(task, caller.unitCode, task.type === 'supply' ? null : task.type, limit);
    return { taskId, teams: rows.map((r) => ({ team: teamView(r), distanceM: Math.round(r.distance_m) })) };
  }

  async find(teamId: string): Promise<TeamView | null> {
    const row = await this.teams.find(teamId);
    return row ? teamView(row) : null;
  }
}
