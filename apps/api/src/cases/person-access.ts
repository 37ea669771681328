import type { EntityManager } from 'typeorm';
import { PERSON_FIELDS, Person } from '@frontline/contracts';

export interface PersonRow {
  id: string;
  full_name: string | null;
  birth_year: number | null;
  sex: Person['sex'];
  phone: string | null;
  national_id: string | null;
  address: string | null;
  unit_code: string;
  unit_path: string[];
  lat: number | null;
  lon: number | null;
  created_at: Date;
}

export const PERSON_SELECT = `SELECT id, full_name, birth_year, sex, phone, national_id, address, unit_code, unit_path,
  ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon, created_at FROM people`;

export async function loadPerson(em: EntityManager, id: string): Promise<PersonRow | null> {
  const rows = (await em.query(`${PERSON_SELECT} WHERE id = $1`, [id])) as PersonRow[];
  return rows[0] ?? null;
}

export function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    fullName: r.full_name,
    birthYear: r.birth_year,
    sex: r.sex,
    phone: r.phone,
    nationalId: r.national_id,
    address: r.address,
    unit: r.unit_code,
    location: r.lat === null || r.lon === null ? null : { lat: Number(r.lat), lon: Number(r.lon) },
    createdAt: r.created_at.toISOString(),
  };
}

/** The personal fields a response discloses (the audit row names them). */
export const DISCLOSED_PERSON_FIELDS: readonly string[] = PERSON_FIELDS;
