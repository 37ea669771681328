import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FEED_HIDDEN_EVENT_TYPES, type SnapshotResponse } from '@frontline/contracts';
import { formatCursor, rowToStoredEvent, STORED_EVENT_COLUMNS, StoredEventRow, UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { FiguresService } from '../figures/figures.service';
import { toFeedEvent } from '../live/feed-event';

const RECENT = 50;
/** The console shows every waiting alarm; past a few hundred the list is no longer read anyway. */
const UNACKNOWLEDGED_MAX = 200;

@Injectable()
export class SnapshotService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitDirectory,
    private readonly figures: FiguresService,
  ) {}

  /**
   * The unit's figures and the stream cursor they are consistent with, read in one
   * REPEATABLE READ transaction so the projector cannot move between the reads.
   */
  async snapshot(unitCode: string, caller: Principal): Promise<SnapshotResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const today = this.figures.today();

    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      // One connection: the reads run one after another inside the same snapshot.
      const cursorRows = await em.query(
        `SELECT stream_epoch, stream_ms, stream_seq FROM projection_cursors WHERE consumer = 'projector'`,
      );
      const figures = await this.figures.figures([unit.code], em, today);
      const recentRows: StoredEventRow[] = await em.query(
        `SELECT ${STORED_EVENT_COLUMNS} FROM event_log WHERE unit_path @> ARRAY[$1]::text[] AND type <> ALL($2::text[])
         ORDER BY seq DESC LIMIT ${RECENT}`,
        [unit.code, FEED_HIDDEN_EVENT_TYPES],
      );
      // Urgent reports nobody acknowledged yet, as the projector has them at this cursor.
      const unacknowledgedRows: StoredEventRow[] = await em.query(
        `SELECT ${STORED_EVENT_COLUMNS} FROM event_log
         WHERE id IN (SELECT report_id FROM urgent_reports
                      WHERE unit_path @> ARRAY[$1]::text[] AND acknowledged_at IS NULL
                      ORDER BY received_at DESC LIMIT ${UNACKNOWLEDGED_MAX})
         ORDER BY occurred_at DESC, seq DESC`,
        [unit.code],
      );
      const c = cursorRows[0] as { stream_epoch: string; stream_ms: string; stream_seq: string } | undefined;
      return {
        unit: { code: unit.code, name: unit.name, level: unit.level },
        cursor: c ? formatCursor(c.stream_epoch, `${c.stream_ms}-${c.stream_seq}`) : null,
        generatedAt: new Date().toISOString(),
        day: today,
        counters: figures.get(unit.code)!.counters,
        recent: recentRows.map((r) => toFeedEvent(rowToStoredEvent(r))),
        unacknowledged: unacknowledgedRows.map((r) => toFeedEvent(rowToStoredEvent(r))),
      };
    });
  }
}
