import { MigrationInterface, QueryRunner } from 'typeorm';

/** A lab-table column that names a person or a case of the case registry. */
interface Reference {
  table: string;
  column: string;
  target: 'people' | 'cases';
  constraint: string;
}

const REFERENCES: readonly Reference[] = [
  { table: 'lab_results', column: 'person_id', target: 'people', constraint: 'lab_results_person_fk' },
  { table: 'lab_results', column: 'case_id', target: 'cases', constraint: 'lab_results_case_fk' },
  { table: 'lab_pool_members', column: 'person_id', target: 'people', constraint: 'lab_pool_members_person_fk' },
  { table: 'retest_list', column: 'person_id', target: 'people', constraint: 'retest_list_person_fk' },
  { table: 'screening_enrolments', column: 'person_id', target: 'people', constraint: 'screening_enrolments_person_fk' },
];

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * Foreign keys from the lab tables to the case registry (docs/decisions/0017-lab-console-and-foreign-keys.md).
 *
 * - `lab_results.case_id` becomes a uuid (the registry's case ids); a value that was not one
 *   named no case of ours (the case rules ignored it) and is cleared here: the result's
 *   `test.resulted` in `event_log` and the upload's stored file keep what the lab sent.
 * - Each key is added NOT VALID (new rows are checked at once, no long lock), then validated
 *   when no existing row names a missing person or case. A database holding such rows keeps the
 *   key NOT VALID and says so in a notice; they are listed by the query in the decision record.
 */
export class LabForeignKeys1733100000000 implements MigrationInterface {
  name = 'LabForeignKeys1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE lab_results ALTER COLUMN case_id TYPE uuid
         USING (CASE WHEN case_id ~ '${UUID_PATTERN}' THEN case_id::uuid END)`,
    );
    for (const r of REFERENCES) {
      await q.query(
        `ALTER TABLE ${r.table} ADD CONSTRAINT ${r.constraint}
           FOREIGN KEY (${r.column}) REFERENCES ${r.target} (id) NOT VALID`,
      );
      const [{ orphans }] = (await q.query(
        `SELECT count(*)::int AS orphans FROM ${r.table} t
          WHERE t.${r.column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${r.target} x WHERE x.id = t.${r.column})`,
      )) as { orphans: number }[];
      if (orphans === 0) {
        await q.query(`ALTER TABLE ${r.table} VALIDATE CONSTRAINT ${r.constraint}`);
      } else {
        await q.query(
          `DO $$ BEGIN RAISE NOTICE '${r.constraint}: % existing row(s) name no ${r.target} row; the key checks new rows only', ${orphans}; END $$`,
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const r of [...REFERENCES].reverse()) {
      await q.query(`ALTER TABLE ${r.table} DROP CONSTRAINT IF EXISTS ${r.constraint}`);
    }
    await q.query(`ALTER TABLE lab_results ALTER COLUMN case_id TYPE text USING case_id::text`);
  }
}
