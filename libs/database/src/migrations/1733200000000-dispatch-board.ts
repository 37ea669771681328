import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatch board's reads and the escalation sweep (docs/decisions/0018-dispatch-board.md):
 * supply tasks linked to a lockdown, the nearest available team (KNN on the team bases), and the
 * open deadlines the worker's sweep looks for.
 */
export class DispatchBoard1733200000000 implements MigrationInterface {
  name = 'DispatchBoard1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN lockdown_id uuid REFERENCES lockdowns (id)`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_lockdown_supply_chk CHECK (lockdown_id IS NULL OR type = 'supply')`);
    await q.query(`CREATE INDEX tasks_lockdown_idx ON tasks (lockdown_id, created_at) WHERE lockdown_id IS NOT NULL`);
    // Nearest available team: `ORDER BY base_location <-> place` over available teams only.
    await q.query(`CREATE INDEX teams_available_base_idx ON teams USING gist (base_location) WHERE status = 'available'`);
    // The sweep: deadlines still open, by due time.
    await q.query(`CREATE INDEX tasks_unacknowledged_due_idx ON tasks (acknowledge_by) WHERE state IN ('created', 'assigned')`);
    await q.query(`CREATE INDEX tasks_unfinished_due_idx ON tasks (finish_by) WHERE state NOT IN ('done', 'cancelled')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tasks_unfinished_due_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_unacknowledged_due_idx`);
    await q.query(`DROP INDEX IF EXISTS teams_available_base_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_lockdown_idx`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_lockdown_supply_chk`);
    await q.query(`ALTER TABLE tasks DROP COLUMN IF EXISTS lockdown_id`);
  }
}
