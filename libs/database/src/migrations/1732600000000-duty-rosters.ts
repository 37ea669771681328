import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 24/7 duty rosters of the command centers (docs/decisions/0007-duty-roster-model.md): centers,
 * the positions each must staff, the people, repeating rotations, special days, one-shift
 * overrides, swaps and leave. Concrete shifts are never stored: they are computed from these
 * rows (libs/roster), so a changed rotation cannot leave stale shifts behind.
 *
 * Local times (`anchor_local`) are Asia/Ho_Chi_Minh wall-clock values in `timestamp` (no zone);
 * instants (override and swap shift starts, leave) are `timestamptz`.
 */
export class DutyRosters1732600000000 implements MigrationInterface {
  name = 'DutyRosters1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE command_centers (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_code  text NOT NULL REFERENCES admin_units (code),
        name       text NOT NULL,
        hotline    text,
        address    text,
        public     boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (unit_code, name)
      )`);
    await q.query(`CREATE INDEX command_centers_unit_idx ON command_centers (unit_code)`);

    await q.query(`
      CREATE TABLE duty_positions (
        center_id      uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        code           text NOT NULL CHECK (code ~ '^[a-z][a-z0-9-]*$'),
        name_vi        text NOT NULL,
        name_en        text,
        required_count integer NOT NULL DEFAULT 1 CHECK (required_count > 0),
        sort_order     integer NOT NULL DEFAULT 0,
        PRIMARY KEY (center_id, code)
      )`);

    // personal_phone and notes are never public; public_phone is the published duty number.
    await q.query(`
      CREATE TABLE duty_staff (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        center_id      uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        full_name      text NOT NULL,
        public_phone   text,
        personal_phone text,
        position_codes text[] NOT NULL DEFAULT '{}',
        notes          text,
        active         boolean NOT NULL DEFAULT true,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX duty_staff_center_idx ON duty_staff (center_id)`);

    // A holiday (Tết, 2/9): with rotations of its own (duty_rotations.special_day_id) it replaces
    // the regular pattern of those positions for shifts starting that day; without, it is 'same'.
    await q.query(`
      CREATE TABLE duty_special_days (
        id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        center_id uuid REFERENCES command_centers (id) ON DELETE CASCADE,
        day       date NOT NULL,
        name      text NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX duty_special_days_day_idx ON duty_special_days (COALESCE(center_id, '00000000-0000-0000-0000-000000000000'::uuid), day)`,
    );

    await q.query(`
      CREATE TABLE duty_rotations (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        center_id      uuid NOT NULL,
        position_code  text NOT NULL,
        shift_hours    integer NOT NULL CHECK (shift_hours BETWEEN 1 AND 24),
        anchor_local   timestamp NOT NULL,
        staff_ids      uuid[] NOT NULL CHECK (cardinality(staff_ids) > 0),
        per_shift      integer NOT NULL DEFAULT 1 CHECK (per_shift > 0),
        valid_from     date NOT NULL,
        valid_to       date,
        special_day_id uuid REFERENCES duty_special_days (id) ON DELETE CASCADE,
        created_at     timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (center_id, position_code) REFERENCES duty_positions (center_id, code) ON DELETE CASCADE,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`CREATE INDEX duty_rotations_center_idx ON duty_rotations (center_id)`);

    await q.query(`
      CREATE TABLE duty_overrides (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        center_id     uuid NOT NULL,
        position_code text NOT NULL,
        shift_start   timestamptz NOT NULL,
        out_staff_id  uuid REFERENCES duty_staff (id),
        in_staff_id   uuid NOT NULL REFERENCES duty_staff (id),
        reason        text,
        created_by    text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (center_id, position_code) REFERENCES duty_positions (center_id, code) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX duty_overrides_center_idx ON duty_overrides (center_id, shift_start)`,
    );

    await q.query(`
      CREATE TABLE duty_swaps (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        center_id     uuid NOT NULL REFERENCES command_centers (id) ON DELETE CASCADE,
        staff_a       uuid NOT NULL REFERENCES duty_staff (id),
        position_a    text NOT NULL,
        shift_start_a timestamptz NOT NULL,
        staff_b       uuid NOT NULL REFERENCES duty_staff (id),
        position_b    text NOT NULL,
        shift_start_b timestamptz NOT NULL,
        status        text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
        reason        text,
        approved_by   text,
        approved_at   timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'approved' OR approved_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX duty_swaps_center_idx ON duty_swaps (center_id)`);

    await q.query(`
      CREATE TABLE duty_leave (
        id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id  uuid NOT NULL REFERENCES duty_staff (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at   timestamptz NOT NULL CHECK (ends_at > starts_at),
        reason    text
      )`);
    await q.query(`CREATE INDEX duty_leave_staff_idx ON duty_leave (staff_id, starts_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'duty_leave',
      'duty_swaps',
      'duty_overrides',
      'duty_rotations',
      'duty_special_days',
      'duty_staff',
      'duty_positions',
      'command_centers',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
