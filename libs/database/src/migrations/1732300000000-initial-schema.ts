import { MigrationInterface, QueryRunner } from 'typeorm';

/** PostGIS, the unit tree, accounts, the event log (outbox) and the first projection. */
export class InitialSchema1732300000000 implements MigrationInterface {
  name = 'InitialSchema1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);

    await q.query(`
      CREATE TABLE admin_units (
        code            text PRIMARY KEY,
        name            text NOT NULL,
        level           text NOT NULL,
        parent_code     text REFERENCES admin_units(code) ON UPDATE CASCADE,
        path            text[] NOT NULL,
        geom            geometry(MultiPolygon, 4326),
        label_point     geometry(Point, 4326),
        approximate     boolean NOT NULL DEFAULT false,
        geometry_source text,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CHECK (path[array_length(path, 1)] = code)
      )`);
    await q.query(`CREATE INDEX admin_units_parent_idx ON admin_units (parent_code)`);
    await q.query(`CREATE INDEX admin_units_path_idx ON admin_units USING gin (path)`);
    await q.query(`CREATE INDEX admin_units_geom_idx ON admin_units USING gist (geom)`);

    await q.query(`
      CREATE TABLE users (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username      text NOT NULL UNIQUE,
        display_name  text NOT NULL,
        password_hash text NOT NULL,
        role          text NOT NULL CHECK (role IN ('commander', 'duty-officer', 'field-team', 'lab', 'admin')),
        unit_code     text NOT NULL REFERENCES admin_units(code) ON UPDATE CASCADE,
        active        boolean NOT NULL DEFAULT true,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);

    // The event log is also the outbox: published_at stays NULL until the event is in the stream.
    await q.query(`
      CREATE TABLE event_log (
        seq          bigserial PRIMARY KEY,
        id           uuid NOT NULL UNIQUE,
        type         text NOT NULL,
        unit_code    text NOT NULL REFERENCES admin_units(code) ON UPDATE CASCADE,
        unit_path    text[] NOT NULL,
        occurred_at  timestamptz NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        actor        text NOT NULL,
        location     geometry(Point, 4326),
        drill        boolean NOT NULL DEFAULT false,
        exercise_id  text,
        payload      jsonb NOT NULL,
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX event_log_unpublished_idx ON event_log (seq) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX event_log_unit_path_idx ON event_log USING gin (unit_path)`);
    await q.query(`CREATE INDEX event_log_occurred_idx ON event_log (occurred_at)`);

    // Personal fields split out of event payloads: never pushed, read over REST with an audit row.
    await q.query(`
      CREATE TABLE event_personal_data (
        event_id  uuid PRIMARY KEY REFERENCES event_log(id) ON DELETE CASCADE,
        unit_path text[] NOT NULL,
        fields    jsonb NOT NULL
      )`);

    // Each consumer group records the events it applied, in the same transaction as its effects.
    await q.query(`
      CREATE TABLE consumer_receipts (
        consumer   text NOT NULL,
        event_id   uuid NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`
      CREATE TABLE projection_cursors (
        consumer     text PRIMARY KEY,
        stream_epoch text NOT NULL,
        stream_ms    bigint NOT NULL,
        stream_seq   bigint NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    // Small facts the spine keeps about itself (e.g. the stream epoch the relay last saw).
    await q.query(`
      CREATE TABLE spine_state (
        key        text PRIMARY KEY,
        value      text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Counters are kept for every ancestor of an event's unit, so a unit's figure is one row.
    await q.query(`
      CREATE TABLE unit_daily_counters (
        unit_code text NOT NULL,
        day       date NOT NULL,
        f0        integer NOT NULL DEFAULT 0,
        f1        integer NOT NULL DEFAULT 0,
        tests     integer NOT NULL DEFAULT 0,
        positives integer NOT NULL DEFAULT 0,
        reports   integer NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_code, day)
      )`);
    await q.query(`
      CREATE TABLE unit_live_counters (
        unit_code    text PRIMARY KEY,
        f1_active    integer NOT NULL DEFAULT 0,
        open_reports integer NOT NULL DEFAULT 0
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'unit_live_counters',
      'unit_daily_counters',
      'spine_state',
      'projection_cursors',
      'consumer_receipts',
      'event_personal_data',
      'event_log',
      'users',
      'admin_units',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
