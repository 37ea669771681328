import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FEED_HIDDEN_EVENT_TYPES, type StoredEvent } from '@frontline/contracts';
import { formatCursor, rowToStoredEvent, STORED_EVENT_COLUMNS, StoredEventRow } from '@frontline/spine';

/**
 * The reads of a console snapshot, each run on the caller's REPEATABLE READ transaction so
 * that all of them see the same moment: the projector's cursor and the events of a unit's subtree.
 */
@Injectable()
export class SnapshotRepository {
  /** The stream cursor the projections are consistent with, or null before the first event. */
  async projectorCursor(em: EntityManager): Promise<string | null> {
    const rows = (await em.query(
      `SELECT stream_epoch, stream_ms, stream_seq FROM projection_cursors WHERE consumer = 'projector'`,
    )) as { stream_epoch: string; stream_ms: string; stream_seq: string }[];
    const c = rows[0];
    return c ? formatCursor(c.stream_epoch, `${c.stream_ms}-${c.stream_seq}`) : null;
  }

  /** The newest events of the subtree that the feed shows, newest first. */
  async recentFeedEvents(em: EntityManager, unitCode: string, limit: number): Promise<StoredEvent[]> {
    const rows = (await em.query(
      `SELECT ${STORED_EVENT_COLUMNS} FROM event_log WHERE unit_path @> ARRAY[$1]::text[] AND type <> ALL($2::text[])
       ORDER BY seq DESC LIMIT $3`,
      [unitCode, FEED_HIDDEN_EVENT_TYPES, limit],
    )) as StoredEventRow[];
    return rows.map(rowToStoredEvent);
  }

  /** Urgent reports nobody acknowledged yet, as the projector has them, newest first. */
  async unacknowledgedReports(em: EntityManager, unitCode: string, limit: number): Promise<StoredEvent[]> {
    const rows = (await em.query(
      `SELECT ${STORED_EVENT_COLUMNS} FROM event_log
       WHERE id IN (SELECT report_id FROM urgent_reports
                    WHERE unit_path @> ARRAY[$1]::text[] AND acknowledged_at IS NULL
                    ORDER BY received_at DESC LIMIT $2)
       ORDER BY occurred_at DESC, seq DESC`,
      [unitCode, limit],
    )) as StoredEventRow[];
    return rows.map(rowToStoredEvent);
  }
}
