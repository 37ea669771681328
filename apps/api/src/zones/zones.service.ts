import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  EventInput,
  LockdownRequest,
  lockdownsQuerySchema,
  StoredEvent,
  SupplyTasksResponse,
} from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction, reachableRecord } from '../common/jurisdiction';
import { fieldError } from '../common/validation';
import { taskView } from '../dispatch/task-rows';
import { TasksRepository } from '../dispatch/tasks.repository';
import { TeamsRepository } from '../dispatch/teams.repository';
import { Lockdown, LockdownView, ZoneLevel, ZonesRepository } from './zones.repository';


/**
 * Zone levels per unit with their history, and lockdown areas (a drawn polygon or whole units)
 * with their decision, dates, responsible team and checkpoints; what lies inside is counted with
 * PostGIS on the event locations. Each change is one transaction: its row and its event.
 */
@Injectable()
export class ZonesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly zones: ZonesRepository,
    private readonly teams: TeamsRepository,
    private readonly tasks: TasksRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async setLevel(
    request: { unit: string; level: ZoneLevel; effectiveAt?: string; decisionRef: string },
    caller: Principal,
  ): Promise<{ id: string; eventId: string }> {
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const effectiveAt = request.effectiveAt ?? new Date().toISOString();
    const id = randomUUID();
    const eventId = randomUUID();
    await this.unitOfWork.run(async (em) => {
      // One level change of a unit at a time: the previous level is read under the unit's lock.
      await this.zones.lockUnitLevel(em, unit.code);
      const previous = await this.zones.levelAt(em, unit.code, effectiveAt);
      await this.zones.insertLevel(em, {
        id,
        unitCode: unit.code,
        level: request.level,
        effectiveAt,
        decisionRef: request.decisionRef,
        eventId,
        setBy: `user:${caller.userId}`,
      });
      return this.append(em, caller, unit.code, unit.path, eventId, 'zone.level-changed', {
        level: request.level,
        ...(previous ? { previous } : {}),
        effectiveAt: new Date(effectiveAt).toISOString(),
        decisionRef: request.decisionRef,
      });
    });
    return { id, eventId };
  }

  /** The level in force now and the history (newest first). */
  async levels(unitCode: string, caller: Principal) {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const history = await this.zones.levelHistory(unit.code);
    const now = Date.now();
    return { unit: unit.code, current: history.find((h) => Date.parse(h.effectiveAt) <= now)?.level ?? null, history };
  }

  async declare(request: LockdownRequest, caller: Principal): Promise<LockdownView> {
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    for (const [i, code] of (request.unitCodes ?? []).entries()) {
      const area = await this.units.resolve(code);
      if (!area) throw fieldError(`body.unitCodes[${i}]`, `unknown unit "${code}"`);
      if (!area.path.includes(unit.code)) throw new ForbiddenException(`body.unitCodes[${i}]: unit "${code}" is not inside ${unit.code}`);
    }
    const id = randomUUID();
    const eventId = randomUUID();
    await this.unitOfWork.run(async (em) => {
      if (request.responsibleTeamId) await this.assertTeam(em, request.responsibleTeamId, caller);
      if (request.area) {
        const invalid = await this.zones.invalidAreaReason(em, request.area);
        if (invalid !== null) throw fieldError('body.area', `not a valid polygon: ${invalid}`);
      }
      const inserted = await this.zones.insertLockdown(em, {
        id,
        unitCode: unit.code,
        unitPath: unit.path,
        request,
        createdBy: `user:${caller.userId}`,
      });
      if (!inserted) throw fieldError('body.unitCodes', 'these units have no boundary to lock down');
      return this.append(em, caller, unit.code, unit.path, eventId, 'lockdown.declared', {
        lockdownId: id,
        decisionNumber: request.decisionNumber,
        startsAt: new Date(request.startsAt).toISOString(),
        plannedEnd: new Date(request.plannedEnd).toISOString(),
        ...(request.responsibleTeamId ? { responsibleTeamId: request.responsibleTeamId } : {}),
        checkpoints: request.checkpoints.length,
      });
    });
    this.logger.info({ actor: caller.userId, lockdownId: id, unit: unit.code }, 'lockdown declared');
    return this.get(id, caller);
  }

  async amend(id: string, request: { decisionNumber: string; plannedEnd: string }, caller: Principal): Promise<LockdownView> {
    await this.unitOfWork.run(async (em) => {
      const row = await this.lock(em, id, caller);
      if (row.view.state === 'lifted') throw new ConflictException('the lockdown is lifted: it cannot be amended');
      if (Date.parse(request.plannedEnd) <= row.startsAt.getTime()) throw fieldError('body.plannedEnd', 'must be after the start');
      await this.zones.amend(em, id, request.plannedEnd, request.decisionNumber);
      return this.append(em, caller, row.view.unit, row.unitPath, randomUUID(), 'lockdown.amended', {
        lockdownId: id,
        decisionNumber: request.decisionNumber,
        plannedEnd: new Date(request.plannedEnd).toISOString(),
      });
    });
    return this.get(id, caller);
  }

  async lift(id: string, decisionNumber: string, caller: Principal): Promise<LockdownView> {
    await this.unitOfWork.run(async (em) => {
      const row = await this.lock(em, id, caller);
      if (row.view.state === 'lifted') throw new ConflictException('the lockdown is already lifted');
      await this.zones.lift(em, id);
      return this.append(em, caller, row.view.unit, row.unitPath, randomUUID(), 'lockdown.lifted', { lockdownId: id, decisionNumber });
    });
    return this.get(id, caller);
  }

  async get(id: string, caller: Principal): Promise<LockdownView> {
    return this.inJurisdiction(id, await this.zones.find(id), caller).view;
  }

  async list(query: z.infer<typeof lockdownsQuerySchema>, caller: Principal): Promise<{ lockdowns: LockdownView[] }> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    const state = query.active === 'true' ? 'active' : query.active === 'false' ? 'lifted' : null;
    return { lockdowns: await this.zones.list(unit.code, state) };
  }

  /** F0, F1 and urgent reports whose location lies inside the area (drills excluded), with open supply tasks. */
  async counts(id: string, caller: Principal): Promise<{ lockdownId: string; f0: number; f1: number; urgentReports: number; openSupplyTasks: number }> {
    await this.get(id, caller);
    return { lockdownId: id, ...(await this.zones.counts(id)) };
  }

  /**
   * Supply tasks (food, essentials) for the people inside the lockdown, newest first. They are
   * created through the normal task path (`POST /api/v1/dispatch/tasks` with `type: supply` and
   * `lockdownId`), so they are dispatched and escalated like any task.
   */
  async supplyTasks(id: string, openOnly: boolean, caller: Principal): Promise<SupplyTasksResponse> {
    await this.get(id, caller);
    const rows = await this.tasks.listForLockdown(id, openOnly);
    return { lockdownId: id, tasks: rows.map(taskView) };
  }

  private async lock(em: EntityManager, id: string, caller: Principal): Promise<Lockdown> {
    return this.inJurisdiction(id, await this.zones.findForUpdate(em, id), caller);
  }

  private inJurisdiction(id: string, found: Lockdown | undefined, caller: Principal): Lockdown {
    return reachableRecord(found, (l) => l.unitPath, caller, `no lockdown with id "${id}"`);
  }

  private async assertTeam(em: EntityManager, teamId: string, caller: Principal): Promise<void> {
    const unitPath = await this.teams.unitPath(teamId, em);
    if (!unitPath) throw new NotFoundException({ message: `body.responsibleTeamId: no team "${teamId}"`, details: [{ path: 'body.responsibleTeamId', message: 'unknown team' }] });
    if (!UnitDirectory.within(caller.unitCode, unitPath)) throw new ForbiddenException('body.responsibleTeamId: this team is outside your jurisdiction');
  }



  private async append(
    em: EntityManager,
    caller: Principal,
    unit: string,
    unitPath: string[],
    id: string,
    type: EventInput['type'],
    payload: Record<string, unknown>,
  ): Promise<StoredEvent[]> {
    const result = await this.store.append(
      [{ input: { id, type, unit, occurredAt: new Date().toISOString(), payload } as EventInput, unitPath }],
      `user:${caller.userId}`,
      em,
    );
    return result.created;
  }
}
