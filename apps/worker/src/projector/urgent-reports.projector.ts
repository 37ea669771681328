import type { EntityManager } from 'typeorm';
import { StoredEvent, URGENT_REPORT_CATEGORIES } from '@frontline/contracts';

function isUrgentReport(event: StoredEvent): boolean {
  return (
    event.type === 'report.received' &&
    (URGENT_REPORT_CATEGORIES as readonly unknown[]).includes(event.payload.category)
  );
}

/**
 * The `urgent_reports` projection: urgent reports and their acknowledgement, what the snapshot
 * lists as "waiting for an acknowledgement". Drill reports are kept (flagged) so a drill console
 * can acknowledge them too. Two statements per batch at most; idempotent with the receipts
 * (a report inserted twice is a no-op, an acknowledgement only fills an empty one).
 */
export async function applyUrgentReports(em: EntityManager, events: StoredEvent[]): Promise<void> {
  const received = events.filter(isUrgentReport);
  const acknowledged = events.filter((e) => e.type === 'report.acknowledged');

  if (received.length) {
    // The acknowledgement may be applied before its report (the report's publish failed and the
    // relay sent it later): look it up in the log so the report is not left waiting forever.
    await em.query(
      `INSERT INTO urgent_reports (report_id, unit_code, unit_path, category, received_at, drill,
                                   acknowledged_at, acknowledged_by, acknowledgement_id)
       SELECT t.id, t.unit, string_to_array(t.path, '/'), t.category, t.received_at, t.drill,
              a.occurred_at, a.actor, a.id
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bool[])
            AS t(id, unit, path, category, received_at, drill)
       LEFT JOIN event_log a ON a.type = 'report.acknowledged' AND a.payload->>'reportId' = t.id::text
       ON CONFLICT (report_id) DO NOTHING`,
      [
        received.map((e) => e.id),
        received.map((e) => e.unit),
        received.map((e) => e.unitPath.join('/')),
        received.map((e) => String(e.payload.category)),
        received.map((e) => e.occurredAt),
        received.map((e) => e.drill ?? false),
      ],
    );
  }
  if (acknowledged.length) {
    // Acknowledgements of reports that are not urgent match no row: nothing waits for them.
    await em.query(
      `UPDATE urgent_reports u SET acknowledged_at = t.at, acknowledged_by = t.actor, acknowledgement_id = t.id
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[]) AS t(report_id, at, actor, id)
       WHERE u.report_id = t.report_id AND u.acknowledged_at IS NULL`,
      [
        acknowledged.map((e) => String(e.payload.reportId)),
        acknowledged.map((e) => e.occurredAt),
        acknowledged.map((e) => e.actor),
        acknowledged.map((e) => e.id),
      ],
    );
  }
}
