import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People, cases and the tracing graph (docs/decisions/0012-cases-and-tracing.md).
 *
 * - `people`: the personal record (name, birth year, sex, phone, national ID, address,
 *   location), kept apart from `cases` so a case, a graph node or an event never carries it.
 * - `cases`: one row per case of a person (F0, F1, F2, suspected, cleared) with its status,
 *   unit, isolation, monitoring window, re-positive flag and, for contacts, the source case
 *   and exposure (the edges of the tracing graph).
 * - `case_status_history`: every transition (classification and status), append-only.
 * - `case_tests`: results recorded on a case (by the api or the `test.resulted` rule), once per test.
 * - `case_clusters`: connected components that reached the cluster size (`cluster.detected` once).
 */
export class Cases1732800000000 implements MigrationInterface {
  name = 'Cases1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        full_name     text NOT NULL,
        birth_year    integer CHECK (birth_year BETWEEN 1900 AND 2100),
        sex           text NOT NULL DEFAULT 'unknown' CHECK (sex IN ('male', 'female', 'unknown')),
        phone         text,
        national_id   text,
        address       text,
        unit_code     text NOT NULL REFERENCES admin_units (code),
        unit_path     text[] NOT NULL,
        location      geography(Point, 4326),
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX people_national_id_idx ON people (national_id) WHERE national_id IS NOT NULL`);
    await q.query(`CREATE INDEX people_unit_path_idx ON people USING gin (unit_path)`);

    await q.query(`
      CREATE TABLE cases (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id         uuid NOT NULL REFERENCES people (id),
        classification    text NOT NULL CHECK (classification IN ('F0', 'F1', 'F2', 'suspected', 'cleared')),
        status            text NOT NULL CHECK (status IN ('identified', 'quarantined', 'tested', 'confirmed', 'released',
                                                          'proposed', 'admitted', 'treated', 'recovered', 'transferred', 'died')),
        unit_code         text NOT NULL REFERENCES admin_units (code),
        unit_path         text[] NOT NULL,
        isolation_kind    text CHECK (isolation_kind IN ('facility', 'home')),
        isolation_place   text,
        monitoring_start  date NOT NULL,
        monitoring_days   integer NOT NULL CHECK (monitoring_days BETWEEN 1 AND 60),
        repositive        boolean NOT NULL DEFAULT false,
        source_case_id    uuid REFERENCES cases (id),
        exposure_date     date,
        exposure_setting  text,
        exposure_place    text,
        exit_test_at      timestamptz,
        proposal_test_id  text,
        cluster_id        uuid,
        created_by        text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    // The tracing graph is walked both ways: contacts of a case (down) and its source (up).
    await q.query(`CREATE INDEX cases_source_idx ON cases (source_case_id, id) WHERE source_case_id IS NOT NULL`);
    await q.query(`CREATE INDEX cases_person_idx ON cases (person_id, created_at)`);
    await q.query(`CREATE INDEX cases_unit_path_idx ON cases USING gin (unit_path)`);
    await q.query(`CREATE INDEX cases_list_idx ON cases (unit_code, classification, status, created_at DESC)`);
    await q.query(`CREATE INDEX cases_cluster_idx ON cases (cluster_id) WHERE cluster_id IS NOT NULL`);
    // The release check reads contacts still under monitoring.
    await q.query(
      `CREATE INDEX cases_monitoring_idx ON cases (monitoring_start) WHERE status IN ('identified', 'quarantined', 'tested')`,
    );

    await q.query(`
      CREATE TABLE case_status_history (
        id                  bigserial PRIMARY KEY,
        case_id             uuid NOT NULL REFERENCES cases (id),
        at                  timestamptz NOT NULL DEFAULT now(),
        from_classification text,
        to_classification   text NOT NULL,
        from_status         text,
        to_status           text NOT NULL,
        actor               text NOT NULL,
        note                text,
        event_id            uuid
      )`);
    await q.query(`CREATE INDEX case_status_history_case_idx ON case_status_history (case_id, id)`);
    await q.query(`
      CREATE FUNCTION case_history_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_status_history is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER case_status_history_append_only BEFORE UPDATE OR DELETE ON case_status_history
      FOR EACH ROW EXECUTE FUNCTION case_history_refuse_change()`);

    await q.query(`
      CREATE TABLE case_tests (
        case_id     uuid NOT NULL REFERENCES cases (id),
        test_id     text NOT NULL,
        method      text NOT NULL CHECK (method IN ('rt-pcr', 'antigen')),
        result      text NOT NULL CHECK (result IN ('positive', 'negative', 'inconclusive')),
        taken_at    timestamptz NOT NULL,
        event_id    uuid,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, test_id)
      )`);

    await q.query(`
      CREATE TABLE case_clusters (
        id              uuid PRIMARY KEY,
        index_case_id   uuid NOT NULL UNIQUE REFERENCES cases (id),
        size            integer NOT NULL,
        units           text[] NOT NULL,
        unit_paths      text[] NOT NULL,
        f0_count        integer NOT NULL,
        detected_at     timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_clusters_units_idx ON case_clusters USING gin (unit_paths)`);

    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS audit_log_at_idx`);
    await q.query(`DROP TABLE IF EXISTS case_clusters`);
    await q.query(`DROP TABLE IF EXISTS case_tests`);
    await q.query(`DROP TABLE IF EXISTS case_status_history`);
    await q.query(`DROP FUNCTION IF EXISTS case_history_refuse_change()`);
    await q.query(`DROP TABLE IF EXISTS cases`);
    await q.query(`DROP TABLE IF EXISTS people`);
  }
}
