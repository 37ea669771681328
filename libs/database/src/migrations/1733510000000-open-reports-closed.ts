import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `unit_live_counters.open_reports` counted every report received and never the ones dispatch
 * closed or merged, so the console's open reports only grew. The projector now subtracts them;
 * this takes off the closes and merges it had already applied (drills never counted).
 */
export class OpenReportsClosed1733510000000 implements MigrationInterface {
  name = 'OpenReportsClosed1733510000000';

  async up(q: QueryRunner): Promise<void> {
    await shiftOpenReports(q, -1);
  }

  async down(q: QueryRunner): Promise<void> {
    await shiftOpenReports(q, 1);
  }
}

/** Moves each unit's open reports by `sign` x the closes and merges the projector applied. */
async function shiftOpenReports(q: QueryRunner, sign: 1 | -1): Promise<void> {
  await q.query(
    `UPDATE unit_live_counters c SET open_reports = c.open_reports + $1 * x.n
     FROM (SELECT unit, count(*)::int AS n
           FROM event_log e
           JOIN consumer_receipts r ON r.consumer = 'projector' AND r.event_id = e.id
           CROSS JOIN LATERAL unnest(e.unit_path) AS unit
           WHERE e.type IN ('report.closed', 'report.merged') AND NOT e.drill
           GROUP BY unit) x
     WHERE c.unit_code = x.unit`,
    [sign],
  );
}
