import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  EventInput,
  LockdownRequest,
  lockdownsQuerySchema,
  StoredEvent,
  SupplyTasksResponse,
  URGENT_REPORT_CATEGORIES,
  ZONE_LEVELS,
} from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { LOCKDOWN_JOB_NAME, lockdownEndingSoonJob, QUEUES } from '@frontline/queue';
import { EventStore, LOGGER, StreamPublisher, UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { TASK_COLUMNS, TaskRow, taskView } from '../dispatch/task-rows';

type ZoneLevel = (typeof ZONE_LEVELS)[number];

/** Zone levels and lockdowns are decisions of the steering committee, recorded by a commander. */
const DECIDERS = ['commander', 'admin'];

interface LockdownRow {
  id: string;
  unit_code: string;
  unit_path: string[];
  decision_number: string;
  area_units: string[];
  starts_at: Date;
  planned_end: Date;
  responsible_team_id: string | null;
  checkpoints: { name: string; lat: number; lon: number }[];
  state: 'active' | 'lifted';
  lifted_at: Date | null;
  area: string;
}

export interface LockdownView {
  id: string;
  unit: string;
  decisionNumber: string;
  areaUnits: string[];
  startsAt: string;
  plannedEnd: string;
  responsibleTeamId: string | null;
  checkpoints: { name: string; lat: number; lon: number }[];
  state: 'active' | 'lifted';
  liftedAt: string | null;
  area: unknown;
}

const LOCKDOWN_COLUMNS = `id, unit_code, unit_path, decision_number, area_units, starts_at, planned_end, responsible_team_id,
  checkpoints, state, lifted_at, ST_AsGeoJSON(area, 6) AS area`;

/**
 * Zone levels per unit with their history, and lockdown areas (a drawn polygon or whole units)
 * with their decision, dates, responsible team and checkpoints; what lies inside is counted with
 * PostGIS on the event locations. Each change is one transaction: its row and its event.
 */
@Injectable()
export class ZonesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly units: UnitDirectory,
    @InjectQueue(QUEUES.escalations) private readonly queue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async setLevel(
    request: { unit: string; level: ZoneLevel; effectiveAt?: string; decisionRef: string },
    caller: Principal,
  ): Promise<{ id: string; eventId: string }> {
    this.assertDecider(caller, 'set zone levels');
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const effectiveAt = request.effectiveAt ?? new Date().toISOString();
    const id = randomUUID();
    const eventId = randomUUID();
    const created = await this.dataSource.transaction(async (em) => {
      // One level change of a unit at a time: the previous level is read under the unit's lock.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('zone-level:' || $1))`, [unit.code]);
      const previous = ((await em.query(
        `SELECT level FROM zone_levels WHERE unit_code = $1 AND effective_at <= $2 ORDER BY effective_at DESC, created_at DESC LIMIT 1`,
        [unit.code, effectiveAt],
      )) as { level: ZoneLevel }[])[0]?.level;
      await em.query(
        `INSERT INTO zone_levels (id, unit_code, level, effective_at, decision_ref, event_id, set_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, unit.code, request.level, effectiveAt, request.decisionRef, eventId, `user:${caller.userId}`],
      );
      return this.append(em, caller, unit.code, unit.path, eventId, 'zone.level-changed', {
        level: request.level,
        ...(previous ? { previous } : {}),
        effectiveAt: new Date(effectiveAt).toISOString(),
        decisionRef: request.decisionRef,
      });
    });
    await this.publisher.publish(created);
    return { id, eventId };
  }

  /** The level in force now and the history (newest first). */
  async levels(unitCode: string, caller: Principal) {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const rows = (await this.dataSource.query(
      `SELECT id, level, effective_at, decision_ref, set_by, event_id FROM zone_levels WHERE unit_code = $1
       ORDER BY effective_at DESC, created_at DESC LIMIT 500`,
      [unit.code],
    )) as { id: string; level: ZoneLevel; effective_at: Date; decision_ref: string; set_by: string; event_id: string }[];
    const history = rows.map((r) => ({
      id: r.id,
      level: r.level,
      effectiveAt: r.effective_at.toISOString(),
      decisionRef: r.decision_ref,
      setBy: r.set_by,
      eventId: r.event_id,
    }));
    const now = Date.now();
    return { unit: unit.code, current: history.find((h) => Date.parse(h.effectiveAt) <= now)?.level ?? null, history };
  }

  async declare(request: LockdownRequest, caller: Principal): Promise<LockdownView> {
    this.assertDecider(caller, 'declare lockdowns');
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    for (const [i, code] of (request.unitCodes ?? []).entries()) {
      const area = await this.units.resolve(code);
      if (!area) throw this.bad(`body.unitCodes[${i}]`, `unknown unit "${code}"`);
      if (!area.path.includes(unit.code)) throw new ForbiddenException(`body.unitCodes[${i}]: unit "${code}" is not inside ${unit.code}`);
    }
    const id = randomUUID();
    const eventId = randomUUID();
    const created = await this.dataSource.transaction(async (em) => {
      if (request.responsibleTeamId) await this.assertTeam(em, request.responsibleTeamId, caller);
      let areaSql: string;
      const params: unknown[] = [];
      if (request.area) {
        const checked = (await em.query(
          `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) x`,
          [JSON.stringify(request.area)],
        )) as { valid: boolean; reason: string }[];
        if (!checked[0].valid) throw this.bad('body.area', `not a valid polygon: ${checked[0].reason}`);
        params.push(JSON.stringify(request.area));
        areaSql = `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))`;
      } else {
        params.push(request.unitCodes);
        areaSql = `(SELECT ST_Multi(ST_Union(geom)) FROM admin_units WHERE code = ANY($1) AND geom IS NOT NULL)`;
      }
      const base = params.length;
      const inserted = (await em.query(
        `INSERT INTO lockdowns (id, unit_code, unit_path, decision_number, area, area_units, starts_at, planned_end,
                                responsible_team_id, checkpoints, created_by)
         SELECT $${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, a.geom, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8}, $${base + 9}, $${base + 10}
         FROM (SELECT ${areaSql} AS geom) a WHERE a.geom IS NOT NULL RETURNING id`,
        [
          ...params,
          id,
          unit.code,
          unit.path,
          request.decisionNumber,
          request.unitCodes ?? [],
          request.startsAt,
          request.plannedEnd,
          request.responsibleTeamId ?? null,
          JSON.stringify(request.checkpoints),
          `user:${caller.userId}`,
        ],
      )) as unknown[];
      if (!inserted.length) throw this.bad('body.unitCodes', 'these units have no boundary to lock down');
      return this.append(em, caller, unit.code, unit.path, eventId, 'lockdown.declared', {
        lockdownId: id,
        decisionNumber: request.decisionNumber,
        startsAt: new Date(request.startsAt).toISOString(),
        plannedEnd: new Date(request.plannedEnd).toISOString(),
        ...(request.responsibleTeamId ? { responsibleTeamId: request.responsibleTeamId } : {}),
        checkpoints: request.checkpoints.length,
      });
    });
    await this.publisher.publish(created);
    await this.scheduleEndingSoon(id, request.plannedEnd);
    this.logger.info({ actor: caller.userId, lockdownId: id, unit: unit.code }, 'lockdown declared');
    return this.get(id, caller);
  }

  async amend(id: string, request: { decisionNumber: string; plannedEnd: string }, caller: Principal): Promise<LockdownView> {
    this.assertDecider(caller, 'amend lockdowns');
    const created = await this.dataSource.transaction(async (em) => {
      const row = await this.lock(em, id, caller);
      if (row.state === 'lifted') throw new ConflictException('the lockdown is lifted: it cannot be amended');
      if (Date.parse(request.plannedEnd) <= row.starts_at.getTime()) throw this.bad('body.plannedEnd', 'must be after the start');
      await em.query(`UPDATE lockdowns SET planned_end = $2, decision_number = $3, updated_at = now() WHERE id = $1`, [id, request.plannedEnd, request.decisionNumber]);
      return this.append(em, caller, row.unit_code, row.unit_path, randomUUID(), 'lockdown.amended', {
        lockdownId: id,
        decisionNumber: request.decisionNumber,
        plannedEnd: new Date(request.plannedEnd).toISOString(),
      });
    });
    await this.publisher.publish(created);
    await this.scheduleEndingSoon(id, request.plannedEnd);
    return this.get(id, caller);
  }

  async lift(id: string, decisionNumber: string, caller: Principal): Promise<LockdownView> {
    this.assertDecider(caller, 'lift lockdowns');
    const created = await this.dataSource.transaction(async (em) => {
      const row = await this.lock(em, id, caller);
      if (row.state === 'lifted') throw new ConflictException('the lockdown is already lifted');
      await em.query(`UPDATE lockdowns SET state = 'lifted', lifted_at = now(), updated_at = now() WHERE id = $1`, [id]);
      return this.append(em, caller, row.unit_code, row.unit_path, randomUUID(), 'lockdown.lifted', { lockdownId: id, decisionNumber });
    });
    await this.publisher.publish(created);
    return this.get(id, caller);
  }

  async get(id: string, caller: Principal): Promise<LockdownView> {
    const rows = (await this.dataSource.query(`SELECT ${LOCKDOWN_COLUMNS} FROM lockdowns WHERE id = $1`, [id])) as LockdownRow[];
    if (!rows[0]) throw new NotFoundException(`no lockdown with id "${id}"`);
    if (!UnitDirectory.within(caller.unitCode, rows[0].unit_path)) throw new ForbiddenException('this lockdown is outside your jurisdiction');
    return view(rows[0]);
  }

  async list(query: z.infer<typeof lockdownsQuerySchema>, caller: Principal): Promise<{ lockdowns: LockdownView[] }> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    const rows = (await this.dataSource.query(
      `SELECT ${LOCKDOWN_COLUMNS} FROM lockdowns WHERE unit_path @> $1::text[] AND ($2::text IS NULL OR state = $2)
       ORDER BY starts_at DESC LIMIT 500`,
      [[unit.code], query.active === 'true' ? 'active' : query.active === 'false' ? 'lifted' : null],
    )) as LockdownRow[];
    return { lockdowns: rows.map(view) };
  }

  /** F0, F1 and urgent reports whose location lies inside the area (drills excluded), with open supply tasks. */
  async counts(id: string, caller: Principal): Promise<{ lockdownId: string; f0: number; f1: number; urgentReports: number; openSupplyTasks: number }> {
    await this.get(id, caller);
    const rows = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE e.type = 'case.confirmed')::int AS f0,
              count(*) FILTER (WHERE e.type = 'contact.identified' AND e.payload->>'classification' = 'F1')::int AS f1,
              count(*) FILTER (WHERE e.type = 'report.received' AND e.payload->>'category' = ANY($2))::int AS urgent
       FROM lockdowns l JOIN event_log e ON ST_Covers(l.area, e.location)
       WHERE l.id = $1 AND NOT e.drill AND e.type IN ('case.confirmed', 'contact.identified', 'report.received')`,
      [id, URGENT_REPORT_CATEGORIES],
    )) as { f0: number; f1: number; urgent: number }[];
    const supply = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM lockdowns l JOIN tasks t ON ST_Covers(l.area, t.place::geometry)
       WHERE l.id = $1 AND t.type = 'supply' AND t.state NOT IN ('done', 'cancelled')`,
      [id],
    )) as { n: number }[];
    return { lockdownId: id, f0: rows[0].f0, f1: rows[0].f1, urgentReports: rows[0].urgent, openSupplyTasks: supply[0].n };
  }

  /**
   * Supply tasks (food, essentials) for the people inside the lockdown, newest first. They are
   * created through the normal task path (`POST /api/v1/dispatch/tasks` with `type: supply` and
   * `lockdownId`), so they are dispatched and escalated like any task.
   */
  async supplyTasks(id: string, openOnly: boolean, caller: Principal): Promise<SupplyTasksResponse> {
    await this.get(id, caller);
    const rows = (await this.dataSource.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.lockdown_id = $1 AND (NOT $2 OR t.state NOT IN ('done', 'cancelled'))
       ORDER BY t.created_at DESC LIMIT 1000`,
      [id, openOnly],
    )) as TaskRow[];
    return { lockdownId: id, tasks: rows.map(taskView) };
  }

  private async scheduleEndingSoon(id: string, plannedEnd: string): Promise<void> {
    try {
      const job = lockdownEndingSoonJob(id, plannedEnd);
      await this.queue.add(LOCKDOWN_JOB_NAME, job.data, job.options);
    } catch (err) {
      this.logger.error({ err, lockdownId: id }, 'could not schedule the lockdown end warning');
    }
  }

  private async lock(em: EntityManager, id: string, caller: Principal): Promise<LockdownRow> {
    const rows = (await em.query(`SELECT ${LOCKDOWN_COLUMNS} FROM lockdowns WHERE id = $1 FOR UPDATE`, [id])) as LockdownRow[];
    if (!rows[0]) throw new NotFoundException(`no lockdown with id "${id}"`);
    if (!UnitDirectory.within(caller.unitCode, rows[0].unit_path)) throw new ForbiddenException('this lockdown is outside your jurisdiction');
    return rows[0];
  }

  private async assertTeam(em: EntityManager, teamId: string, caller: Principal): Promise<void> {
    const rows = (await em.query(`SELECT unit_path FROM teams WHERE id = $1`, [teamId])) as { unit_path: string[] }[];
    if (!rows[0]) throw new NotFoundException({ message: `body.responsibleTeamId: no team "${teamId}"`, details: [{ path: 'body.responsibleTeamId', message: 'unknown team' }] });
    if (!UnitDirectory.within(caller.unitCode, rows[0].unit_path)) throw new ForbiddenException('body.responsibleTeamId: this team is outside your jurisdiction');
  }

  private assertDecider(caller: Principal, what: string): void {
    if (!DECIDERS.includes(caller.role)) throw new ForbiddenException(`role ${caller.role} may not ${what}`);
  }

  private bad(path: string, message: string): BadRequestException {
    return new BadRequestException({ message: `${path}: ${message}`, details: [{ path, message }] });
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

function view(r: LockdownRow): LockdownView {
  return {
    id: r.id,
    unit: r.unit_code,
    decisionNumber: r.decision_number,
    areaUnits: r.area_units,
    startsAt: r.starts_at.toISOString(),
    plannedEnd: r.planned_end.toISOString(),
    responsibleTeamId: r.responsible_team_id,
    checkpoints: r.checkpoints,
    state: r.state,
    liftedAt: r.lifted_at?.toISOString() ?? null,
    area: JSON.parse(r.area) as unknown,
  };
}
