import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, ForbiddenException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { CreateTeamRequest, NearestTeamsResponse, TeamView, teamsQuerySchema, TEAM_STATUSES } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, StreamPublisher, UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { assertDispatcher } from './dispatch-access';
import { TEAM_COLUMNS, TeamRow, teamView } from './task-rows';

type TeamsQuery = z.infer<typeof teamsQuerySchema>;
type TeamStatus = (typeof TEAM_STATUSES)[number];

/** Teams of a unit: created by a dispatcher, their status set by hand (off duty, back) or by their tasks. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(query: TeamsQuery, caller: Principal): Promise<{ teams: TeamView[] }> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    const rows = (await this.dataSource.query(
      `SELECT ${TEAM_COLUMNS} FROM teams tm WHERE tm.unit_path @> $1::text[] AND ($2::text IS NULL OR tm.status = $2)
       ORDER BY array_length(tm.unit_path, 1), tm.unit_code, tm.name`,
      [[unit.code], query.status ?? null],
    )) as TeamRow[];
    return { teams: rows.map(teamView) };
  }

  async create(request: CreateTeamRequest, caller: Principal): Promise<TeamView> {
    assertDispatcher(caller, 'create teams');
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const userIds = [...new Set(request.memberUserIds ?? [])];
    const staffIds = [...new Set(request.memberStaffIds ?? [])];
    if (userIds.length) {
      const found = (await this.dataSource.query(`SELECT id, unit_code FROM users WHERE id = ANY($1) AND active`, [userIds])) as {
        id: string;
        unit_code: string;
      }[];
      const missing = userIds.filter((id) => !found.some((u) => u.id === id));
      if (missing.length) throw this.badMember('memberUserIds', userIds.indexOf(missing[0]), `no active account "${missing[0]}"`);
      for (const u of found) {
        const home = await this.units.resolve(u.unit_code);
        if (!home || !UnitDirectory.within(caller.unitCode, home.path)) {
          throw new ForbiddenException(`body.memberUserIds: account "${u.id}" is outside your jurisdiction`);
        }
      }
    }
    if (staffIds.length) {
      const found = (await this.dataSource.query(
        `SELECT s.id, u.path FROM duty_staff s JOIN command_centers c ON c.id = s.center_id JOIN admin_units u ON u.code = c.unit_code
         WHERE s.id = ANY($1)`,
        [staffIds],
      )) as { id: string; path: string[] }[];
      const missing = staffIds.filter((id) => !found.some((s) => s.id === id));
      if (missing.length) throw this.badMember('memberStaffIds', staffIds.indexOf(missing[0]), `no duty staff "${missing[0]}"`);
      if (found.some((s) => !UnitDirectory.within(caller.unitCode, s.path))) {
        throw new ForbiddenException('body.memberStaffIds: a person is outside your jurisdiction');
      }
    }
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (em) => {
        await em.query(
          `INSERT INTO teams (id, unit_code, unit_path, name, kind, base_location)
           VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography END)`,
          [id, unit.code, unit.path, request.name, request.kind, request.base?.lon ?? null, request.base?.lat ?? null],
        );
        if (userIds.length) {
          await em.query(`INSERT INTO team_members (team_id, user_id) SELECT $1, unnest($2::uuid[])`, [id, userIds]);
        }
        if (staffIds.length) {
          await em.query(`INSERT INTO team_members (team_id, staff_id) SELECT $1, unnest($2::uuid[])`, [id, staffIds]);
        }
      });
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
    assertDispatcher(caller, 'change a team status');
    const outcome = await this.dataSource.transaction(async (em) => {
      const rows = (await em.query(`SELECT id, unit_code, unit_path, status FROM teams WHERE id = $1 FOR UPDATE`, [teamId])) as {
        id: string;
        unit_code: string;
        unit_path: string[];
        status: TeamStatus;
      }[];
      const team = rows[0];
      if (!team) throw new NotFoundException(`no team with id "${teamId}"`);
      if (!UnitDirectory.within(caller.unitCode, team.unit_path)) throw new ForbiddenException('this team is outside your jurisdiction');
      if (team.status === status) return { created: [], eventId: null };
      const open = (await em.query(
        `SELECT 1 FROM tasks WHERE team_id = $1 AND state IN ('assigned', 'acknowledged', 'en-route', 'on-scene') LIMIT 1`,
        [teamId],
      )) as unknown[];
      if (open.length && status !== 'on-task') {
        throw new ConflictException(`body.status: the team has an open task; complete or cancel it before setting the team ${status}`);
      }
      if (!open.length && status === 'on-task') {
        throw new ConflictException('body.status: the team has no open task; assign it one instead');
      }
      await em.query(`UPDATE teams SET status = $2, updated_at = now() WHERE id = $1`, [teamId, status]);
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
    await this.publisher.publish(outcome.created);
    return { team: (await this.find(teamId))!, eventId: outcome.eventId };
  }

  /**
   * Available teams of the caller's jurisdiction that can take this task (its kind; any kind for a
   * supply task), nearest base first, with the distance in metres. The KNN operator on the partial
   * index of available bases picks the candidates; the exact (spheroid) distance orders them.
   */
  async nearest(taskId: string, limit: number, caller: Principal): Promise<NearestTeamsResponse> {
    assertDispatcher(caller, 'look for teams to assign');
    const task = ((await this.dataSource.query(
      `SELECT type, unit_path, ST_Y(place::geometry) AS lat, ST_X(place::geometry) AS lon FROM tasks WHERE id = $1`,
      [taskId],
    )) as { type: string; unit_path: string[]; lat: number; lon: number }[])[0];
    if (!task) throw new NotFoundException(`no task with id "${taskId}"`);
    if (!UnitDirectory.within(caller.unitCode, task.unit_path)) throw new ForbiddenException('this task is outside your jurisdiction');
    const rows = (await this.dataSource.query(
      `WITH here AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS place),
       candidates AS (
         SELECT tm.id FROM teams tm, here
         WHERE tm.status = 'available' AND tm.base_location IS NOT NULL AND tm.unit_path @> $3::text[]
           AND ($4::text IS NULL OR tm.kind = $4)
         ORDER BY tm.base_location <-> here.place LIMIT $5)
       SELECT ${TEAM_COLUMNS}, ST_Distance(tm.base_location, here.place) AS distance_m
       FROM teams tm JOIN candidates c ON c.id = tm.id, here
       ORDER BY distance_m, tm.name LIMIT $6`,
      [task.lon, task.lat, [caller.unitCode], task.type === 'supply' ? null : task.type, limit * 4, limit],
    )) as (TeamRow & { distance_m: number })[];
    return { taskId, teams: rows.map((r) => ({ team: teamView(r), distanceM: Math.round(r.distance_m) })) };
  }

  async find(teamId: string): Promise<TeamView | null> {
    const rows = (await this.dataSource.query(`SELECT ${TEAM_COLUMNS} FROM teams tm WHERE tm.id = $1`, [teamId])) as TeamRow[];
    return rows[0] ? teamView(rows[0]) : null;
  }

  private badMember(field: string, index: number, message: string): BadRequestException {
    return new BadRequestException({ message: `body.${field}[${index}]: ${message}`, details: [{ path: `body.${field}[${index}]`, message }] });
  }
}
