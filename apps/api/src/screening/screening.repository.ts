import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ScreeningProgram } from '@frontline/contracts';

/** A program's own fields, without its counts. */
export type ProgramFields = Omit<ScreeningProgram, 'sites' | 'people'>;

export interface NewProgram {
  name: string;
  targetGroup: ScreeningProgram['targetGroup'];
  cadenceDays: number;
  graceHours: number;
  unitCode: string;
  unitPath: string[];
  startsAt: string;
  createdBy: string;
  sites: { name: string; unitCode: string; unitPath: string[]; lat: number; lon: number }[];
  /** `site`: the index of the person's site in `sites`, if any. */
  people: { personId: string; site: number | null; unitCode: string; unitPath: string[] }[];
}

/** Screening programs, their sites and enrolled people (`screening_*`). */
@Injectable()
export class ScreeningRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The program, its sites (ids in the order given) and its enrolments. */
  async insertProgram(em: EntityManager, p: NewProgram): Promise<{ id: string; startsAt: Date; siteIds: string[] }> {
    const [program] = (await em.query(
      `INSERT INTO screening_programs (name, target_group, cadence_days, grace_hours, unit_code, unit_path, starts_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, starts_at`,
      [p.name, p.targetGroup, p.cadenceDays, p.graceHours, p.unitCode, p.unitPath, p.startsAt, p.createdBy],
    )) as { id: string; starts_at: Date }[];
    const sites = (
      p.sites.length
        ? await em.query(
            `INSERT INTO screening_sites (program_id, name, unit_code, unit_path, lat, lon)
               SELECT $1, t.name, t.unit, string_to_array(t.path, '/'), t.lat, t.lon
               FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[]) WITH ORDINALITY
                    AS t(name, unit, path, lat, lon, ord)
               ORDER BY t.ord
             RETURNING id`,
            [
              program.id,
              p.sites.map((s) => s.name),
              p.sites.map((s) => s.unitCode),
              p.sites.map((s) => s.unitPath.join('/')),
              p.sites.map((s) => s.lat),
              p.sites.map((s) => s.lon),
            ],
          )
        : []
    ) as { id: string }[];
    if (p.people.length) {
      await em.query(
        `INSERT INTO screening_enrolments (program_id, person_id, site_id, unit_code, unit_path)
           SELECT $1, t.person, t.site, t.unit, string_to_array(t.path, '/')
           FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS t(person, site, unit, path)`,
        [
          program.id,
          p.people.map((x) => x.personId),
          p.people.map((x) => (x.site === null ? null : sites[x.site].id)),
          p.people.map((x) => x.unitCode),
          p.people.map((x) => x.unitPath.join('/')),
        ],
      );
    }
    return { id: program.id, startsAt: program.starts_at, siteIds: sites.map((s) => s.id) };
  }

  /** These programs, by name. */
  async programs(ids: string[]): Promise<ProgramFields[]> {
    if (!ids.length) return [];
    const rows = (await this.dataSource.query(
      `SELECT id, name, target_group, unit_code, cadence_days, grace_hours, starts_at
         FROM screening_programs WHERE id = ANY($1::uuid[]) ORDER BY name, id`,
      [ids],
    )) as {
      id: string;
      name: string;
      target_group: ScreeningProgram['targetGroup'];
      unit_code: string;
      cadence_days: number;
      grace_hours: number;
      starts_at: Date;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      targetGroup: r.target_group,
      unit: r.unit_code,
      cadenceDays: r.cadence_days,
      graceHours: r.grace_hours,
      startsAt: r.starts_at.toISOString(),
    }));
  }
}
