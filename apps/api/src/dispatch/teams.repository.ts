import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '@frontline/database';

/** Teams (`teams`, `team_members`) and where their bases lie (PostGIS). */
@Injectable()
export class TeamsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The unit path of a team, or undefined when there is no such team. */
  async unitPath(teamId: string, db: Queryable = this.dataSource): Promise<string[] | undefined> {
    const rows = (await db.query(`SELECT unit_path FROM teams WHERE id = $1`, [teamId])) as { unit_path: string[] }[];
    return rows[0]?.unit_path;
  }
}
