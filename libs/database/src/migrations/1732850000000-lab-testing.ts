import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lab testing and screening (docs/decisions/0013-lab-testing.md).
 *
 * - `lab_results`: one row per sample result, unique per (lab, sample). Rows from a bulk upload
 *   have an id derived from (upload, row), so a resumed upload cannot write a row twice.
 * - `lab_pools` / `lab_pool_members`: a pooled sample and the people in it.
 * - `retest_list`: who must be tested again by RT-PCR (antigen positive, positive pool), open
 *   until an RT-PCR result of that person collected later arrives.
 * - `lab_uploads` / `lab_upload_errors`: a lab file as received (text + sha256), its progress
 *   checkpoint (last row handled, committed in the same transaction as the rows) and the refused
 *   rows with their numbers.
 * - `screening_programs` / `screening_sites` / `screening_enrolments` / `screening_alerts`: who
 *   or which site must be tested at which cadence, and the due / overdue alerts already raised.
 *
 * People and cases belong to the case registry: `person_id` / `case_id` are plain ids here
 * (indexed, no foreign key) until that registry links them.
 */
export class LabTesting1732850000000 implements MigrationInterface {
  name = 'LabTesting1732850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lab_pools (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lab_code        text NOT NULL,
        pool_sample_id  text NOT NULL,
        unit_code       text NOT NULL REFERENCES admin_units (code),
        unit_path       text[] NOT NULL,
        collected_at    timestamptz NOT NULL,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (lab_code, pool_sample_id)
      )`);
    await q.query(`
      CREATE TABLE lab_pool_members (
        pool_id    uuid NOT NULL REFERENCES lab_pools (id) ON DELETE CASCADE,
        person_id  uuid NOT NULL,
        sample_id  text,
        PRIMARY KEY (pool_id, person_id)
      )`);
    await q.query(`CREATE INDEX lab_pool_members_person_idx ON lab_pool_members (person_id)`);

    await q.query(`
      CREATE TABLE lab_uploads (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lab_code        text NOT NULL,
        unit_code       text NOT NULL REFERENCES admin_units (code),
        unit_path       text[] NOT NULL,
        format          text NOT NULL CHECK (format IN ('csv', 'json')),
        content         text NOT NULL,
        sha256          text NOT NULL,
        size_bytes      integer NOT NULL,
        status          text NOT NULL DEFAULT 'queued'
                          CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
        total_rows      integer NOT NULL,
        -- Last row handled (committed, refused or found already recorded), 0 = none yet.
        checkpoint_row  integer NOT NULL DEFAULT 0,
        committed_count integer NOT NULL DEFAULT 0,
        error_count     integer NOT NULL DEFAULT 0,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        started_at      timestamptz,
        finished_at     timestamptz,
        failure_reason  text,
        UNIQUE (lab_code, sha256)
      )`);
    await q.query(
      `CREATE INDEX lab_uploads_pending_idx ON lab_uploads (created_at) WHERE status IN ('queued', 'processing')`,
    );
    await q.query(`
      CREATE TABLE lab_upload_errors (
        upload_id   uuid NOT NULL REFERENCES lab_uploads (id) ON DELETE CASCADE,
        row_number  integer NOT NULL,
        field       text NOT NULL,
        message     text NOT NULL,
        PRIMARY KEY (upload_id, row_number, field)
      )`);

    await q.query(`
      CREATE TABLE lab_results (
        id           uuid PRIMARY KEY,
        lab_code     text NOT NULL,
        sample_id    text NOT NULL,
        unit_code    text NOT NULL REFERENCES admin_units (code),
        unit_path    text[] NOT NULL,
        person_id    uuid,
        case_id      text,
        method       text NOT NULL CHECK (method IN ('rt-pcr', 'antigen')),
        result       text NOT NULL CHECK (result IN ('positive', 'negative', 'inconclusive')),
        collected_at timestamptz NOT NULL,
        resulted_at  timestamptz NOT NULL,
        pool_id      uuid REFERENCES lab_pools (id),
        program_id   uuid,
        site_id      uuid,
        upload_id    uuid REFERENCES lab_uploads (id) ON DELETE SET NULL,
        upload_row   integer,
        event_id     uuid NOT NULL,
        recorded_by  text NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (lab_code, sample_id)
      )`);
    await q.query(
      `CREATE INDEX lab_results_person_idx ON lab_results (person_id, collected_at DESC) WHERE person_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX lab_results_case_idx ON lab_results (case_id) WHERE case_id IS NOT NULL`);
    await q.query(`CREATE INDEX lab_results_pool_idx ON lab_results (pool_id) WHERE pool_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX lab_results_site_idx ON lab_results (site_id, collected_at DESC) WHERE site_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX lab_results_program_idx ON lab_results (program_id, collected_at DESC) WHERE program_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX lab_results_upload_idx ON lab_results (upload_id, upload_row) WHERE upload_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE retest_list (
        id                    uuid PRIMARY KEY,
        reason                text NOT NULL CHECK (reason IN ('antigen-confirmation', 'pool-positive')),
        person_id             uuid,
        sample_id             text NOT NULL,
        pool_id               uuid REFERENCES lab_pools (id),
        source_result_id      uuid NOT NULL REFERENCES lab_results (id),
        source_collected_at   timestamptz NOT NULL,
        unit_code             text NOT NULL REFERENCES admin_units (code),
        unit_path             text[] NOT NULL,
        required_method       text NOT NULL DEFAULT 'rt-pcr',
        status                text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        created_at            timestamptz NOT NULL DEFAULT now(),
        resolved_by_result_id uuid REFERENCES lab_results (id),
        resolved_at           timestamptz
      )`);
    await q.query(`CREATE INDEX retest_list_unit_path_idx ON retest_list USING gin (unit_path)`);
    await q.query(
      `CREATE INDEX retest_list_open_person_idx ON retest_list (person_id) WHERE status = 'open' AND person_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX retest_list_source_idx ON retest_list (source_result_id)`);

    await q.query(`
      CREATE TABLE screening_programs (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL,
        target_group  text NOT NULL,
        cadence_days  integer NOT NULL CHECK (cadence_days BETWEEN 1 AND 365),
        grace_hours   integer NOT NULL DEFAULT 24 CHECK (grace_hours BETWEEN 0 AND 8760),
        unit_code     text NOT NULL REFERENCES admin_units (code),
        unit_path     text[] NOT NULL,
        starts_at     timestamptz NOT NULL,
        active        boolean NOT NULL DEFAULT true,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX screening_programs_unit_path_idx ON screening_programs USING gin (unit_path)`);
    await q.query(`
      CREATE TABLE screening_sites (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id  uuid NOT NULL REFERENCES screening_programs (id) ON DELETE CASCADE,
        name        text NOT NULL,
        unit_code   text NOT NULL REFERENCES admin_units (code),
        unit_path   text[] NOT NULL,
        lat         double precision NOT NULL,
        lon         double precision NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX screening_sites_program_idx ON screening_sites (program_id)`);
    await q.query(`CREATE INDEX screening_sites_unit_path_idx ON screening_sites USING gin (unit_path)`);
    await q.query(`
      CREATE TABLE screening_enrolments (
        program_id  uuid NOT NULL REFERENCES screening_programs (id) ON DELETE CASCADE,
        person_id   uuid NOT NULL,
        site_id     uuid REFERENCES screening_sites (id) ON DELETE SET NULL,
        unit_code   text NOT NULL REFERENCES admin_units (code),
        unit_path   text[] NOT NULL,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (program_id, person_id)
      )`);
    await q.query(`CREATE INDEX screening_enrolments_person_idx ON screening_enrolments (person_id)`);
    await q.query(`CREATE INDEX screening_enrolments_site_idx ON screening_enrolments (site_id)`);
    await q.query(`CREATE INDEX screening_enrolments_unit_path_idx ON screening_enrolments USING gin (unit_path)`);
    await q.query(`
      CREATE TABLE screening_alerts (
        program_id   uuid NOT NULL REFERENCES screening_programs (id) ON DELETE CASCADE,
        target_kind  text NOT NULL CHECK (target_kind IN ('site', 'person')),
        target_id    uuid NOT NULL,
        due_at       timestamptz NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('due', 'overdue')),
        event_id     uuid NOT NULL,
        alerted_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (program_id, target_kind, target_id, due_at, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'screening_alerts',
      'screening_enrolments',
      'screening_sites',
      'screening_programs',
      'retest_list',
      'lab_results',
      'lab_upload_errors',
      'lab_uploads',
      'lab_pool_members',
      'lab_pools',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
