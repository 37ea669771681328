import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases reported by an integration (`POST /api/v1/events`) arrive under the sender's own ids
 * (`F0-…`, `F1-…`). The case engine registers them as cases of ours; `case_references` maps
 * each id the sender used to the case it names, so its later events (a contact of that F0, a
 * test of that F1, the F1 confirmed under a new F0 id) reach the same record. An F1 that becomes
 * an F0 under a new id keeps one row in `cases` and gains a second reference.
 *
 * A person known only through an integration has no name: `people.full_name` becomes optional.
 */
export class CaseReferences1733500000000 implements MigrationInterface {
  name = 'CaseReferences1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_references (
        reference   text PRIMARY KEY,
        case_id     uuid NOT NULL REFERENCES cases (id),
        event_id    uuid NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_references_case_idx ON case_references (case_id)`);
    await q.query(`ALTER TABLE people ALTER COLUMN full_name DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_references`);
    await q.query(`UPDATE people SET full_name = '' WHERE full_name IS NULL`);
    await q.query(`ALTER TABLE people ALTER COLUMN full_name SET NOT NULL`);
  }
}
