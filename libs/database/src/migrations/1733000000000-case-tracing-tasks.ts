import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A new F0 opens a tracing task for its unit (docs/decisions/0016-case-tracing-tasks.md): tasks
 * may name the case they were opened for, and a case has at most one tracing task — the unique
 * index is what makes the rule exactly-once when the event is redelivered or two workers race.
 */
export class CaseTracingTasks1733000000000 implements MigrationInterface {
  name = 'CaseTracingTasks1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN case_id uuid REFERENCES cases (id)`);
    await q.query(`CREATE UNIQUE INDEX tasks_case_tracing_idx ON tasks (case_id) WHERE type = 'tracing' AND case_id IS NOT NULL`);
    // The tasks of a case (its detail screen), whatever their type.
    await q.query(`CREATE INDEX tasks_case_idx ON tasks (case_id, created_at) WHERE case_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tasks_case_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_case_tracing_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN IF EXISTS case_id`);
  }
}
