import type { EntityManager } from 'typeorm';
import type { GeoPoint } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A person known only through an integration: no name, no contact details; where and who roughly. */
export interface UnnamedPerson {
  unitCode: string;
  unitPath: string[];
  sex?: 'male' | 'female' | 'unknown';
  location?: GeoPoint;
  createdBy: string;
}

/**
 * The SQL of the integration path into the case registry: the ids a sender uses for its cases
 * (`case_references`), the people it registers, and the events already standing for a fact.
 */
export class CaseReferencesRepository {
  /**
   * Takes the reference for this transaction and says what is already known of it: the seq of
   * this event id if it is in the log (a re-send), and the case the reference names. The lock
   * serialises the facts about one sender's id, so two requests naming the same case (or
   * re-sending the same event) cannot both register it; the reads are a statement of their own,
   * so they see what the request that held the lock committed.
   */
  async claim(em: EntityManager, reference: string, eventId: string): Promise<{ seq: number | null; caseId: string | null }> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('frontline:case-reference:' || $1))`, [reference]);
    const [row] = (await em.query(
      `SELECT (SELECT seq FROM event_log WHERE id = $2) AS seq,
              (SELECT case_id FROM case_references WHERE reference = $1) AS case_id`,
      [reference, eventId],
    )) as { seq: string | null; case_id: string | null }[];
    return { seq: row.seq === null ? null : Number(row.seq), caseId: row.case_id ?? (await this.ownCase(em, reference)) };
  }

  /** The case a sender's id names: a reference it used before, or one of our own case ids. */
  async caseOf(em: EntityManager, reference: string): Promise<string | null> {
    const rows = (await em.query(`SELECT case_id FROM case_references WHERE reference = $1`, [reference])) as { case_id: string }[];
    return rows[0]?.case_id ?? (await this.ownCase(em, reference));
  }

  /** A sender may name a case by our id (read from the API): that case, if it exists. */
  private async ownCase(em: EntityManager, id: string): Promise<string | null> {
    if (!UUID.test(id)) return null;
    const rows = (await em.query(`SELECT id FROM cases WHERE id = $1`, [id])) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** The cases of many references at once (the test results of a batch). */
  async casesOf(em: Queryable, references: string[]): Promise<Map<string, string>> {
    if (!references.length) return new Map();
    const rows = (await em.query(
      `SELECT reference, case_id FROM case_references WHERE reference = ANY($1::text[])`,
      [references],
    )) as { reference: string; case_id: string }[];
    return new Map(rows.map((r) => [r.reference, r.case_id]));
  }

  /**
   * Records that the sender's id names this case (a second id of the same case is kept too); an
   * id that named a finished case now names the new one its sender confirmed.
   */
  async add(em: EntityManager, reference: string, caseId: string, eventId: string): Promise<void> {
    await em.query(
      `INSERT INTO case_references (reference, case_id, event_id) VALUES ($1, $2, $3)
       ON CONFLICT (reference) DO UPDATE SET case_id = EXCLUDED.case_id, event_id = EXCLUDED.event_id
       WHERE case_references.case_id <> EXCLUDED.case_id`,
      [reference, caseId, eventId],
    );
  }

  /**
   * The event that already records a case's fact: its first history row (`classification`
   * null: the contact's identification), or the first one reaching a confirmed `classification`.
   */
  async factEvent(
    em: EntityManager,
    caseId: string,
    classification: string | null,
  ): Promise<{ id: string; seq: number } | null> {
    const rows = (await em.query(
      `SELECT e.id, e.seq FROM case_status_history h JOIN event_log e ON e.id = h.event_id
       WHERE h.case_id = $1
         AND ($2::text IS NULL OR (h.to_classification = $2 AND h.to_status <> 'proposed'))
       ORDER BY h.id LIMIT 1`,
      [caseId, classification],
    )) as { id: string; seq: string }[];
    return rows[0] ? { id: rows[0].id, seq: Number(rows[0].seq) } : null;
  }

  async insertPerson(em: EntityManager, person: UnnamedPerson): Promise<string> {
    const [row] = (await em.query(
      `INSERT INTO people (sex, unit_code, unit_path, location, created_by)
       VALUES ($1, $2, $3, CASE WHEN $4::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($4, $5), 4326)::geography END, $6)
       RETURNING id`,
      [
        person.sex ?? 'unknown',
        person.unitCode,
        person.unitPath,
        person.location?.lon ?? null,
        person.location?.lat ?? null,
        person.createdBy,
      ],
    )) as { id: string }[];
    return row.id;
  }
}
