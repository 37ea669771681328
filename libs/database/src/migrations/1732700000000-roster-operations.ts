import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roster operations (docs/decisions/0009-roster-alerts.md): the state behind the roster alerts,
 * so each alert is raised exactly once whichever api or worker instance notices it first.
 *
 * - `coverage_gaps`: one row per detected gap, keyed by (center, position, from); `open` until
 *   it is staffed again or has passed. Inserted with ON CONFLICT DO NOTHING: only the inserting
 *   transaction emits `coverage.gap-detected`.
 * - `shift_checkins`: a duty officer's check-in for one shift.
 * - `missed_checkin_alerts`: one row per (center, position, staff, shift) that was alerted.
 * - `shift_handovers`: the outgoing officer's handover with its digest, signed by the incoming one.
 * - `duty_staff.user_id`: the login of a person on the roster (staff are not all users).
 */
export class RosterOperations1732700000000 implements MigrationInterface {
  name = 'RosterOperations1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE duty_staff ADD COLUMN user_id uuid REFERENCES users (id) ON DELETE SET NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX duty_staff_user_idx ON duty_staff (center_id, user_id) WHERE user_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE coverage_gaps (
        center_id       uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        position_code   text NOT NULL,
        starts_at       timestamptz NOT NULL,
        ends_at         timestamptz NOT NULL,
        required_count  integer NOT NULL,
        present_count   integer NOT NULL,
        state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
        -- 'staffed': filled again (coverage.gap-closed emitted); 'elapsed': the time passed unfilled.
        closed_reason   text CHECK (closed_reason IN ('staffed', 'elapsed')),
        urgent_alerted  boolean NOT NULL DEFAULT false,
        detected_at     timestamptz NOT NULL DEFAULT now(),
        closed_at       timestamptz,
        PRIMARY KEY (center_id, position_code, starts_at)
      )`);
    await q.query(
      `CREATE INDEX coverage_gaps_open_idx ON coverage_gaps (center_id) WHERE state = 'open'`,
    );

    await q.query(`
      CREATE TABLE shift_checkins (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        center_id       uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        position_code   text NOT NULL,
        staff_id        uuid NOT NULL REFERENCES duty_staff (id) ON DELETE CASCADE,
        shift_start     timestamptz NOT NULL,
        checked_in_at   timestamptz NOT NULL DEFAULT now(),
        user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
        UNIQUE (center_id, position_code, staff_id, shift_start)
      )`);

    await q.query(`
      CREATE TABLE missed_checkin_alerts (
        center_id       uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        position_code   text NOT NULL,
        staff_id        uuid NOT NULL REFERENCES duty_staff (id) ON DELETE CASCADE,
        shift_start     timestamptz NOT NULL,
        alerted_at      timestamptz NOT NULL DEFAULT now(),
        event_id        uuid NOT NULL,
        PRIMARY KEY (center_id, position_code, staff_id, shift_start)
      )`);

    await q.query(`
      CREATE TABLE shift_handovers (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        center_id          uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        position_code      text NOT NULL,
        shift_start        timestamptz NOT NULL,
        outgoing_staff_id  uuid NOT NULL REFERENCES duty_staff (id),
        outgoing_user_id   uuid REFERENCES users (id) ON DELETE SET NULL,
        note               text,
        digest             jsonb NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        signed_by_staff_id uuid REFERENCES duty_staff (id),
        signed_by_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
        signed_at          timestamptz,
        UNIQUE (center_id, position_code, shift_start, outgoing_staff_id)
      )`);
    await q.query(
      `CREATE INDEX shift_handovers_center_idx ON shift_handovers (center_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'shift_handovers',
      'missed_checkin_alerts',
      'shift_checkins',
      'coverage_gaps',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP INDEX IF EXISTS duty_staff_user_idx`);
    await q.query(`ALTER TABLE duty_staff DROP COLUMN IF EXISTS user_id`);
  }
}
