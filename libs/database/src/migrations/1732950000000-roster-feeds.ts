import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendar feeds and roster editing (docs/decisions/0014-roster-feeds-and-schedules.md).
 *
 * - `calendar_feeds`: one iCal feed of a center's shifts or of one person's, reached without
 *   login at `/api/v1/calendar/<token>.ics`. Only the SHA-256 of the random token is stored, so a
 *   leaked database does not leak working URLs; `revoked_at` set: the URL answers 410.
 * - `duty_swaps`: who rejected a swap, when and why.
 * - `duty_rotations` / `duty_special_days`: who created them (the roster.changed event carries
 *   the author too); the overlap check of new rotations reads rotations by (center, position).
 */
export class RosterFeeds1732950000000 implements MigrationInterface {
  name = 'RosterFeeds1732950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feeds (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash  text NOT NULL UNIQUE,
        kind        text NOT NULL CHECK (kind IN ('center', 'person')),
        center_id   uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        staff_id    uuid REFERENCES duty_staff (id) ON DELETE CASCADE,
        label       text,
        created_by  uuid NOT NULL REFERENCES users (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz,
        revoked_by  uuid REFERENCES users (id),
        CHECK ((kind = 'person') = (staff_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX calendar_feeds_center_idx ON calendar_feeds (center_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX calendar_feeds_staff_idx ON calendar_feeds (staff_id) WHERE staff_id IS NOT NULL`,
    );

    await q.query(`ALTER TABLE duty_swaps ADD COLUMN rejected_by text`);
    await q.query(`ALTER TABLE duty_swaps ADD COLUMN rejected_at timestamptz`);
    await q.query(`ALTER TABLE duty_swaps ADD COLUMN reject_reason text`);
    await q.query(`ALTER TABLE duty_rotations ADD COLUMN created_by text`);
    await q.query(`ALTER TABLE duty_special_days ADD COLUMN created_by text`);
    await q.query(
      `CREATE INDEX duty_rotations_position_idx ON duty_rotations (center_id, position_code, valid_from)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS duty_rotations_position_idx`);
    await q.query(`ALTER TABLE duty_special_days DROP COLUMN IF EXISTS created_by`);
    await q.query(`ALTER TABLE duty_rotations DROP COLUMN IF EXISTS created_by`);
    await q.query(`ALTER TABLE duty_swaps DROP COLUMN IF EXISTS reject_reason`);
    await q.query(`ALTER TABLE duty_swaps DROP COLUMN IF EXISTS rejected_at`);
    await q.query(`ALTER TABLE duty_swaps DROP COLUMN IF EXISTS rejected_by`);
    await q.query(`DROP TABLE IF EXISTS calendar_feeds`);
  }
}
