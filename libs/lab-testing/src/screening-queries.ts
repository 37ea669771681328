import type { DataSource, EntityManager } from 'typeorm';
import type { ScreeningPersonStatus, ScreeningSiteStatus } from '@frontline/contracts';
import { screeningState } from './screening-status';

interface TargetRow {
  program_id: string;
  cadence_days: number;
  grace_hours: number;
  starts_at: Date;
  unit_code: string;
  unit_path: string[];
  last_tested_at: Date | null;
}
interface SiteRow extends TargetRow {
  id: string;
  name: string;
  lat: number;
  lon: number;
  people: number;
}
interface PersonRow extends TargetRow {
  person_id: string;
  site_id: string | null;
}

export type SiteState = ScreeningSiteStatus & { unitPath: string[]; overdueAt: string };
export type PersonState = ScreeningPersonStatus & { unitPath: string[]; overdueAt: string };

/**
 * Sites and people of the active programs in a unit's subtree (null: everywhere) with their
 * status at `now`. What counts as a test: a lab result naming the site, or of a person enrolled
 * at the site (sites); any lab result of the person (people).
 */
export async function screeningTargets(
  db: DataSource | EntityManager,
  unitCode: string | null,
  programId: string | null,
  now: Date,
): Promise<{ sites: SiteState[]; people: PersonState[] }> {
  const sites: SiteRow[] = await db.query(
    `SELECT s.id, s.program_id, s.name, s.unit_code, s.unit_path, s.lat, s.lon, p.cadence_days, p.grace_hours, p.starts_at,
            (SELECT count(*)::int FROM screening_enrolments e WHERE e.site_id = s.id) AS people,
            GREATEST(
              (SELECT max(r.collected_at) FROM lab_results r WHERE r.site_id = s.id),
              (SELECT max(r.collected_at) FROM screening_enrolments e JOIN lab_results r ON r.person_id = e.person_id
                WHERE e.site_id = s.id)
            ) AS last_tested_at
       FROM screening_sites s JOIN screening_programs p ON p.id = s.program_id
      WHERE p.active AND ($1::text IS NULL OR s.unit_path @> ARRAY[$1::text]) AND ($2::uuid IS NULL OR p.id = $2)
      ORDER BY s.unit_code, s.name, s.id`,
    [unitCode, programId],
  );
  const people: PersonRow[] = await db.query(
    `SELECT e.program_id, e.person_id, e.site_id, e.unit_code, e.unit_path, p.cadence_days, p.grace_hours, p.starts_at,
            (SELECT max(r.collected_at) FROM lab_results r WHERE r.person_id = e.person_id) AS last_tested_at
       FROM screening_enrolments e JOIN screening_programs p ON p.id = e.program_id
      WHERE p.active AND ($1::text IS NULL OR e.unit_path @> ARRAY[$1::text]) AND ($2::uuid IS NULL OR p.id = $2)
      ORDER BY e.unit_code, e.person_id`,
    [unitCode, programId],
  );
  const stateOf = (r: TargetRow) => {
    const s = screeningState(
      r.last_tested_at,
      { cadenceDays: r.cadence_days, graceHours: r.grace_hours, startsAt: r.starts_at },
      now,
    );
    return {
      programId: r.program_id,
      unit: r.unit_code,
      unitPath: r.unit_path,
      lastTestedAt: r.last_tested_at?.toISOString() ?? null,
      dueAt: s.dueAt.toISOString(),
      overdueAt: s.overdueAt.toISOString(),
      status: s.status,
    };
  };
  return {
    sites: sites.map((r) => ({ id: r.id, name: r.name, lat: r.lat, lon: r.lon, people: r.people, ...stateOf(r) })),
    people: people.map((r) => ({ personId: r.person_id, siteId: r.site_id, ...stateOf(r) })),
  };
}
