import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { allows, EventDetailResponse } from '@frontline/contracts';
import { AuditService } from '@frontline/audit';
import { rowToStoredEvent, STORED_EVENT_COLUMNS, StoredEventRow, UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { toFeedEvent } from '../live/feed-event';

type DetailRow = StoredEventRow & {
  has_personal: boolean;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
};

/** Where a request came from, for the audit row. */
export interface RequestClient {
  clientIp: string | null;
  userAgent: string | null;
}

/**
 * One event in full for a console: the feed view, its acknowledgement (reports) and, for roles
 * allowed to see them, its personal fields. Every read of personal fields writes an audit row in
 * the same transaction that reads them, so no personal data leaves without its audit row.
 */
@Injectable()
export class EventDetailService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async detail(id: string, caller: Principal, client: RequestClient): Promise<EventDetailResponse> {
    const rows: DetailRow[] = await this.dataSource.query(
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
    );
    const row = rows[0];
    if (!row) throw new NotFoundException(`no event with id "${id}"`);
    // Same answer whatever the event is: its unit, type and content stay unknown to the caller.
    if (!UnitDirectory.within(caller.unitCode, row.unit_path)) {
      throw new ForbiddenException('this event is outside your jurisdiction');
    }
    const event = toFeedEvent(rowToStoredEvent(row));
    const acknowledgement = row.acknowledged_at
      ? { at: row.acknowledged_at.toISOString(), by: row.acknowledged_by ?? 'unknown' }
      : null;

    if (!row.has_personal) return { event, acknowledgement, personal: null, personalAccess: 'none' };
    if (!allows(caller.role, 'personal-data.read')) {
      return { event, acknowledgement, personal: null, personalAccess: 'not-allowed' };
    }
    const personal = await this.dataSource.transaction(async (em) => {
      const found: { fields: Record<string, unknown> }[] = await em.query(
        'SELECT fields FROM event_personal_data WHERE event_id = $1',
        [id],
      );
      const fields = found[0]?.fields ?? null;
      if (!fields) return null;
      await this.audit.record(
        {
          actor: { userId: caller.userId, username: caller.username, role: caller.role },
          action: 'read',
          recordType: 'event',
          recordId: id,
          fields: Object.keys(fields),
          unitCode: row.unit_code,
          ...client,
        },
        em,
      );
      return fields;
    });
    return personal
      ? { event, acknowledgement, personal, personalAccess: 'granted' }
      : { event, acknowledgement, personal: null, personalAccess: 'none' };
  }
}
