import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch (docs/decisions/0011-dispatch-and-escalation.md): teams and their members, tasks with
 * their transition log, escalations (one row per task, deadline and level: the row IS the
 * "escalated exactly once" guarantee), the triage state of urgent reports, zone levels and
 * lockdown areas. Members reference existing accounts or duty staff: no personal data is copied.
 */
export class Dispatch1732900000000 implements MigrationInterface {
  name = 'Dispatch1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teams (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_code     text NOT NULL REFERENCES admin_units (code) ON UPDATE CASCADE,
        unit_path     text[] NOT NULL,
        name          text NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('tracing', 'sample-collection', 'cordon',
                        'disinfection', 'patient-transport', 'border-patrol')),
        status        text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'on-task', 'off-duty')),
        base_location geography(Point, 4326),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (unit_code, name)
      )`);
    await q.query(`CREATE INDEX teams_unit_path_idx ON teams USING gin (unit_path)`);
    await q.query(`CREATE INDEX teams_base_idx ON teams USING gist (base_location)`);

    await q.query(`
      CREATE TABLE team_members (
        team_id  uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        user_id  uuid REFERENCES users (id) ON DELETE CASCADE,
        staff_id uuid REFERENCES duty_staff (id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((user_id IS NULL) <> (staff_id IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX team_members_user_idx ON team_members (team_id, user_id) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX team_members_staff_idx ON team_members (team_id, staff_id) WHERE staff_id IS NOT NULL`);
    await q.query(`CREATE INDEX team_members_by_user_idx ON team_members (user_id) WHERE user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE tasks (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_code        text NOT NULL REFERENCES admin_units (code) ON UPDATE CASCADE,
        unit_path        text[] NOT NULL,
        type             text NOT NULL,
        priority         text NOT NULL CHECK (priority IN ('critical', 'high', 'normal', 'low')),
        place            geography(Point, 4326) NOT NULL,
        report_id        uuid REFERENCES event_log (id),
        team_id          uuid REFERENCES teams (id),
        state            text NOT NULL DEFAULT 'created' CHECK (state IN ('created', 'assigned',
                           'acknowledged', 'en-route', 'on-scene', 'done', 'cancelled')),
        note             text,
        cancel_reason    text,
        acknowledge_by   timestamptz NOT NULL,
        finish_by        timestamptz NOT NULL,
        created_by       text NOT NULL,
        client_action_id text,
        drill            boolean NOT NULL DEFAULT false,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        acknowledged_at  timestamptz,
        closed_at        timestamptz,
        CHECK (state <> 'cancelled' OR cancel_reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX tasks_unit_path_idx ON tasks USING gin (unit_path)`);
    await q.query(`CREATE INDEX tasks_open_idx ON tasks (unit_code, created_at) WHERE state NOT IN ('done', 'cancelled')`);
    await q.query(`CREATE INDEX tasks_report_idx ON tasks (report_id) WHERE report_id IS NOT NULL`);
    await q.query(`CREATE INDEX tasks_team_idx ON tasks (team_id) WHERE team_id IS NOT NULL`);
    await q.query(`CREATE INDEX tasks_created_idx ON tasks (created_at)`);
    await q.query(`CREATE UNIQUE INDEX tasks_client_action_idx ON tasks (created_by, client_action_id) WHERE client_action_id IS NOT NULL`);

    // One row per applied transition; a re-sent client action id finds its row and changes nothing.
    await q.query(`
      CREATE TABLE task_transitions (
        id               bigserial PRIMARY KEY,
        task_id          uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        from_state       text,
        to_state         text NOT NULL,
        action           text NOT NULL,
        team_id          uuid,
        actor            text NOT NULL,
        event_id         uuid NOT NULL,
        client_action_id text,
        at               timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX task_transitions_task_idx ON task_transitions (task_id, id)`);
    await q.query(`CREATE UNIQUE INDEX task_transitions_action_idx ON task_transitions (task_id, client_action_id) WHERE client_action_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE task_escalations (
        task_id      uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        deadline     text NOT NULL CHECK (deadline IN ('acknowledge', 'finish')),
        level        integer NOT NULL CHECK (level BETWEEN 1 AND 3),
        due_at       timestamptz NOT NULL,
        escalated_at timestamptz NOT NULL DEFAULT now(),
        event_id     uuid NOT NULL,
        PRIMARY KEY (task_id, deadline, level)
      )`);

    // Triage state of a report (the report itself stays the report.received event).
    await q.query(`
      CREATE TABLE report_triage (
        report_id      uuid PRIMARY KEY REFERENCES event_log (id),
        unit_code      text NOT NULL,
        unit_path      text[] NOT NULL,
        priority       text CHECK (priority IN ('critical', 'high', 'normal', 'low')),
        state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'merged')),
        close_reason   text,
        merged_into    uuid REFERENCES event_log (id),
        triaged_at     timestamptz,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX report_triage_unit_path_idx ON report_triage USING gin (unit_path)`);
    // Likely duplicates: reports near in space (geography distance) and time.
    await q.query(
      `CREATE INDEX event_log_report_place_idx ON event_log USING gist ((location::geography)) WHERE type = 'report.received'`,
    );
    await q.query(`CREATE INDEX event_log_type_occurred_idx ON event_log (type, occurred_at)`);
    // The timeline of a report: every event that refers to it.
    await q.query(`CREATE INDEX event_log_report_ref_idx ON event_log ((payload->>'reportId')) WHERE payload ? 'reportId'`);
    await q.query(`CREATE INDEX event_log_place_idx ON event_log USING gist (location) WHERE location IS NOT NULL`);

    await q.query(`
      CREATE TABLE zone_levels (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_code    text NOT NULL REFERENCES admin_units (code) ON UPDATE CASCADE,
        level        text NOT NULL CHECK (level IN ('green', 'yellow', 'orange', 'red')),
        effective_at timestamptz NOT NULL,
        decision_ref text NOT NULL,
        event_id     uuid NOT NULL,
        set_by       text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX zone_levels_unit_idx ON zone_levels (unit_code, effective_at DESC)`);

    await q.query(`
      CREATE TABLE lockdowns (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_code           text NOT NULL REFERENCES admin_units (code) ON UPDATE CASCADE,
        unit_path           text[] NOT NULL,
        decision_number     text NOT NULL,
        area                geometry(MultiPolygon, 4326) NOT NULL,
        area_units          text[] NOT NULL DEFAULT '{}',
        starts_at           timestamptz NOT NULL,
        planned_end         timestamptz NOT NULL,
        responsible_team_id uuid REFERENCES teams (id),
        checkpoints         jsonb NOT NULL DEFAULT '[]',
        state               text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'lifted')),
        lifted_at           timestamptz,
        created_by          text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (planned_end > starts_at)
      )`);
    await q.query(`CREATE INDEX lockdowns_unit_path_idx ON lockdowns USING gin (unit_path)`);
    await q.query(`CREATE INDEX lockdowns_area_idx ON lockdowns USING gist (area)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS event_log_place_idx`);
    await q.query(`DROP INDEX IF EXISTS event_log_report_ref_idx`);
    await q.query(`DROP INDEX IF EXISTS event_log_type_occurred_idx`);
    await q.query(`DROP INDEX IF EXISTS event_log_report_place_idx`);
    for (const table of [
      'lockdowns',
      'zone_levels',
      'report_triage',
      'task_escalations',
      'task_transitions',
      'tasks',
      'team_members',
      'teams',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
