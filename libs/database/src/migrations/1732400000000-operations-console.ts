import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the operations console reads: urgent reports waiting for an acknowledgement, the time of
 * the latest event per unit, indexes for the map and the acknowledgement lookup, and the
 * append-only audit log of every read of personal data.
 */
export class OperationsConsole1732400000000 implements MigrationInterface {
  name = 'OperationsConsole1732400000000';

  async up(q: QueryRunner): Promise<void> {
    // Projection (worker): urgent reports and whether a console acknowledged them. Drill reports
    // are kept too (flagged), so a drill console can acknowledge them like real ones.
    await q.query(`
      CREATE TABLE urgent_reports (
        report_id          uuid PRIMARY KEY,
        unit_code          text NOT NULL,
        unit_path          text[] NOT NULL,
        category           text NOT NULL,
        received_at        timestamptz NOT NULL,
        drill              boolean NOT NULL DEFAULT false,
        acknowledged_at    timestamptz,
        acknowledged_by    text,
        acknowledgement_id uuid
      )`);
    // The snapshot asks "unacknowledged in this subtree"; once acknowledged a row leaves the index.
    await q.query(
      `CREATE INDEX urgent_reports_unacknowledged_idx ON urgent_reports USING gin (unit_path) WHERE acknowledged_at IS NULL`,
    );

    // Kept by the projector for every unit on an event's path (children figures: "last event").
    await q.query(`ALTER TABLE unit_live_counters ADD COLUMN last_event_at timestamptz`);

    // At most one acknowledgement per report, whatever its event id; also how the map and the
    // projector find a report's acknowledgement.
    await q.query(
      `CREATE UNIQUE INDEX event_log_report_acknowledged_idx ON event_log ((payload->>'reportId'))
       WHERE type = 'report.acknowledged'`,
    );
    // Map points (GET /map/points): exactly the rows a map layer can show (F0, F1, positive tests,
    // reports, each with a location), keyed by time and carrying every column the query returns,
    // so a layer of 50,000 points is one index-only range scan; the unit filter runs on the
    // index tuples. Measured in docs/decisions/0007-operations-console-reads.md.
    await q.query(`
      CREATE INDEX event_log_map_points_idx ON event_log (occurred_at)
        INCLUDE (type, unit_path, unit_code, drill, location, id)
      WHERE location IS NOT NULL AND (
        type = 'case.confirmed'
        OR (type = 'contact.identified' AND payload->>'classification' = 'F1')
        OR (type = 'test.resulted' AND payload->>'result' = 'positive')
        OR type = 'report.received')`);
    // Without these the planner guesses the payload conditions at 0.5% of the rows and picks
    // plans for a handful of points where there are tens of thousands.
    await q.query(`
      CREATE STATISTICS event_log_payload_kind_stats (mcv) ON type, (payload->>'classification'), (payload->>'result')
      FROM event_log`);

    await q.query(`
      CREATE TABLE audit_log (
        id             bigserial PRIMARY KEY,
        at             timestamptz NOT NULL DEFAULT now(),
        actor_user_id  text NOT NULL,
        actor_username text NOT NULL,
        actor_role     text NOT NULL,
        action         text NOT NULL CHECK (action IN ('read', 'export', 'change')),
        record_type    text NOT NULL,
        record_id      text NOT NULL,
        fields         text[] NOT NULL,
        unit_code      text,
        client_ip      text,
        user_agent     text
      )`);
    await q.query(`CREATE INDEX audit_log_record_idx ON audit_log (record_type, record_id, at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at)`);
    // Append-only in the database itself, not only in the code: an audit trail the application
    // (or anyone with its credentials) could rewrite proves nothing. Row triggers refuse UPDATE
    // and DELETE, a statement trigger refuses TRUNCATE. A superuser can still drop the trigger;
    // that is a visible schema change, unlike a quiet UPDATE.
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);

    // Events the projector applied before this migration: rebuild the new projections from the
    // log. The category list is frozen here on purpose (a migration must not change later).
    await q.query(`
      INSERT INTO urgent_reports (report_id, unit_code, unit_path, category, received_at, drill,
                                  acknowledged_at, acknowledged_by, acknowledgement_id)
      SELECT r.id, r.unit_code, r.unit_path, r.payload->>'category', r.occurred_at, r.drill,
             a.occurred_at, a.actor, a.id
      FROM event_log r
      JOIN consumer_receipts c ON c.consumer = 'projector' AND c.event_id = r.id
      LEFT JOIN event_log a ON a.type = 'report.acknowledged' AND a.payload->>'reportId' = r.id::text
      WHERE r.type = 'report.received'
        AND r.payload->>'category' IN ('suspected-case', 'illegal-entry', 'quarantine-violation', 'gathering')
      ON CONFLICT (report_id) DO NOTHING`);
    await q.query(`
      INSERT INTO unit_live_counters AS c (unit_code, last_event_at)
      SELECT p.code, max(e.occurred_at)
      FROM event_log e
      JOIN consumer_receipts r ON r.consumer = 'projector' AND r.event_id = e.id
      CROSS JOIN LATERAL unnest(e.unit_path) AS p(code)
      WHERE NOT e.drill AND e.occurred_at > now() - interval '1 day'
      GROUP BY p.code
      ON CONFLICT (unit_code) DO UPDATE SET last_event_at = GREATEST(c.last_event_at, EXCLUDED.last_event_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP FUNCTION IF EXISTS audit_log_refuse_change()`);
    await q.query(`DROP STATISTICS IF EXISTS event_log_payload_kind_stats`);
    await q.query(`DROP INDEX IF EXISTS event_log_map_points_idx`);
    await q.query(`DROP INDEX IF EXISTS event_log_report_acknowledged_idx`);
    await q.query(`ALTER TABLE unit_live_counters DROP COLUMN IF EXISTS last_event_at`);
    await q.query(`DROP TABLE IF EXISTS urgent_reports`);
  }
}
