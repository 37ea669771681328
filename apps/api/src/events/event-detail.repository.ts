import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EventDetailResponse, StoredEvent } from '@frontline/contracts';
import { rowToStoredEvent, STORED_EVENT_COLUMNS, StoredEventRow } from '@frontline/spine';

type DetailRow = StoredEventRow & {
  has_personal: boolean;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
};

/** One logged event with what its detail page shows beside it. */
export interface LoggedEvent {
  event: StoredEvent;
  /** Whether personal fields were submitted with it (`event_personal_data`). */
  hasPersonal: boolean;
  /** For a report, the console acknowledgement, by username (or actor when not an account). */
  acknowledgement: EventDetailResponse['acknowledgement'];
}

/** One event of the log with its acknowledgement, and the personal fields kept apart from it. */
@Injectable()
export class EventDetailRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<LoggedEvent | null> {
    const [row] = (await this.dataSource.query(
      `WITH e AS (SELECT ${STORED_EVENT_COLUMNS} FROM event_log WHERE id = $1)
       SELECT e.*, EXISTS (SELECT 1 FROM event_personal_data p WHERE p.event_id = e.id) AS has_personal,
              ack.occurred_at AS acknowledged_at, ack.username AS acknowledged_by
       FROM e
       LEFT JOIN LATERAL (
         SELECT a.occurred_at, coalesce(u.username, a.actor) AS username
         FROM event_log a
         LEFT JOIN users u ON a.actor LIKE 'user:%' AND u.id::text = substr(a.actor, 6)
         WHERE e.type = 'report.received' AND a.type = 'report.acknowledged' AND a.payload->>'reportId' = e.id::text
       ) ack ON true`,
      [id],
    )) as DetailRow[];
    if (!row) return null;
    return {
      event: rowToStoredEvent(row),
      hasPersonal: row.has_personal,
      acknowledgement: row.acknowledged_at ? { at: row.acknowledged_at.toISOString(), by: row.acknowledged_by ?? 'unknown' } : null,
    };
  }

  /** The personal fields submitted with an event, or null when there are none. */
  async personalFields(em: EntityManager, id: string): Promise<Record<string, unknown> | null> {
    const [row] = (await em.query('SELECT fields FROM event_personal_data WHERE event_id = $1', [id])) as {
      fields: Record<string, unknown>;
    }[];
    return row?.fields ?? null;
  }
}
