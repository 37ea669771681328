import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CreateTeamRequest, TEAM_STATUSES } from '@frontline/contracts';
import { Queryable, UserEntity } from '@frontline/database';
import { TEAM_COLUMNS, TeamRow } from './task-rows';

export type TeamStatus = (typeof TEAM_STATUSES)[number];

/** A team as locked for a status change. */
export interface TeamLock {
  id: string;
  unit_code: string;
  unit_path: string[];
  status: TeamStatus;
}

export interface NewTeam {
  id: string;
  unitCode: string;
  unitPath: string[];
  name: string;
  kind: CreateTeamRequest['kind'];
  base: { lat: number; lon: number } | null;
  userIds: string[];
  staffIds: string[];
}

/** Teams (`teams`, `team_members`) and where their bases lie (PostGIS). */
@Injectable()
export class TeamsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(teamId: string): Promise<TeamRow | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${TEAM_COLUMNS} FROM teams tm WHERE tm.id = $1`, [teamId])) as TeamRow[];
    return rows[0];
  }

  /** Teams of a unit's subtree, by depth, unit and name; `status` null for all. */
  async list(unitCode: string, status: TeamStatus | null): Promise<TeamRow[]> {
    return (await this.dataSource.query(
      `SELECT ${TEAM_COLUMNS} FROM teams tm WHERE tm.unit_path @> $1::text[] AND ($2::text IS NULL OR tm.status = $2)
       ORDER BY array_length(tm.unit_path, 1), tm.unit_code, tm.name`,
      [[unitCode], status],
    )) as TeamRow[];
  }

  /** The unit path of a team, or undefined when there is no such team. */
  async unitPath(teamId: string, db: Queryable = this.dataSource): Promise<string[] | undefined> {
    const rows = (await db.query(`SELECT unit_path FROM teams WHERE id = $1`, [teamId])) as { unit_path: string[] }[];
    return rows[0]?.unit_path;
  }

  /** The team locked for the rest of the transaction. */
  async lock(em: EntityManager, teamId: string): Promise<TeamLock | undefined> {
    const rows = (await em.query(`SELECT id, unit_code, unit_path, status FROM teams WHERE id = $1 FOR UPDATE`, [teamId])) as TeamLock[];
    return rows[0];
  }

  async setStatus(em: EntityManager, teamId: string, status: TeamStatus): Promise<void> {
    await em.query(`UPDATE teams SET status = $2, updated_at = now() WHERE id = $1`, [teamId, status]);
  }

  /** A team and its members; a duplicate name in the unit fails with PostgreSQL's 23505. */
  async insert(em: EntityManager, team: NewTeam): Promise<void> {
    await em.query(
      `INSERT INTO teams (id, unit_code, unit_path, name, kind, base_location)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography END)`,
      [team.id, team.unitCode, team.unitPath, team.name, team.kind, team.base?.lon ?? null, team.base?.lat ?? null],
    );
    if (team.userIds.length) {
      await em.query(`INSERT INTO team_members (team_id, user_id) SELECT $1, unnest($2::uuid[])`, [team.id, team.userIds]);
    }
    if (team.staffIds.length) {
      await em.query(`INSERT INTO team_members (team_id, staff_id) SELECT $1, unnest($2::uuid[])`, [team.id, team.staffIds]);
    }
  }

  async isMember(teamId: string, userId: string, db: Queryable = this.dataSource): Promise<boolean> {
    const rows = (await db.query(`SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2`, [teamId, userId])) as unknown[];
    return rows.length > 0;
  }

  /** Active accounts among these ids, with their home unit. */
  async activeUsers(userIds: string[]): Promise<{ id: string; unitCode: string }[]> {
    return this.dataSource.getRepository(UserEntity).find({ select: { id: true, unitCode: true }, where: { id: In(userIds), active: true } });
  }

  /** Duty staff among these ids, with the unit path of their command center. */
  async dutyStaff(staffIds: string[]): Promise<{ id: string; path: string[] }[]> {
    return (await this.dataSource.query(
      `SELECT s.id, u.path FROM duty_staff s JOIN command_centers c ON c.id = s.center_id JOIN admin_units u ON u.code = c.unit_code
       WHERE s.id = ANY($1)`,
      [staffIds],
    )) as { id: string; path: string[] }[];
  }

  /**
   * Available teams of a subtree that can take a task of this kind (any kind when null), nearest
   * base first, with the distance in metres. The KNN operator on the partial index of available
   * bases picks the candidates; the exact (spheroid) distance orders them.
   */
  async nearestAvailable(
    place: { lat: number; lon: number },
    unitCode: string,
    kind: string | null,
    limit: number,
  ): Promise<(TeamRow & { distance_m: number })[]> {
    return (await this.dataSource.query(
      `WITH here AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS place),
       candidates AS (
         SELECT tm.id FROM teams tm, here
         WHERE tm.status = 'available' AND tm.base_location IS NOT NULL AND tm.unit_path @> $3::text[]
           AND ($4::text IS NULL OR tm.kind = $4)
         ORDER BY tm.base_location <-> here.place LIMIT $5)
       SELECT ${TEAM_COLUMNS}, ST_Distance(tm.base_location, here.place) AS distance_m
       FROM teams tm JOIN candidates c ON c.id = tm.id, here
       ORDER BY distance_m, tm.name LIMIT $6`,
      [place.lon, place.lat, [unitCode], kind, limit * 4, limit],
    )) as (TeamRow & { distance_m: number })[];
  }
}
