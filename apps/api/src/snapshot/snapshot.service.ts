import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SnapshotResponse, UnitCounters } from '@frontline/contracts';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import {
  dayIn,
  formatCursor,
  rowToStoredEvent,
  STORED_EVENT_COLUMNS,
  StoredEventRow,
  UnitDirectory,
} from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { toFeedEvent } from '../live/feed-event';

const RECENT = 50;

@Injectable()
export class SnapshotService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The unit's figures and the stream cursor they are consistent with, read in one
   * REPEATABLE READ transaction so the projector cannot move between the reads.
   */
  async snapshot(unitCode: string, caller: Principal): Promise<SnapshotResponse> {
    const unit = await this.units.resolve(unitCode);
    if (!unit) throw new NotFoundException(`unknown unit "${unitCode}"`);
    if (!UnitDirectory.within(caller.unitCode, unit.path)) {
      throw new ForbiddenException(`unit "${unitCode}" is outside your jurisdiction`);
    }
    const today = dayIn(this.config.FRONTLINE_TIMEZONE);
    const weekAgo = dayIn(this.config.FRONTLINE_TIMEZONE, Date.now() - 6 * 86_400_000);

    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      // One connection: the reads run one after another inside the same snapshot.
      const cursorRows = await em.query(
        `SELECT stream_epoch, stream_ms, stream_seq FROM projection_cursors WHERE consumer = 'projector'`,
      );
      const dailyRows = await em.query(
          `SELECT coalesce(sum(f0) FILTER (WHERE day = $2), 0)::int AS f0_today,
                  coalesce(sum(f0), 0)::int AS f0_7d,
                  coalesce(sum(tests) FILTER (WHERE day = $2), 0)::int AS tests_today,
                  coalesce(sum(positives) FILTER (WHERE day = $2), 0)::int AS positives_today
           FROM unit_daily_counters WHERE unit_code = $1 AND day BETWEEN $3 AND $2`,
          [unit.code, today, weekAgo],
      );
      const liveRows = await em.query(`SELECT f1_active, open_reports FROM unit_live_counters WHERE unit_code = $1`, [
        unit.code,
      ]);
      const recentRows = await em.query(
        `SELECT ${STORED_EVENT_COLUMNS} FROM event_log WHERE unit_path @> ARRAY[$1]::text[]
         ORDER BY seq DESC LIMIT ${RECENT}`,
        [unit.code],
      );
      const c = cursorRows[0] as { stream_epoch: string; stream_ms: string; stream_seq: string } | undefined;
      const d = dailyRows[0] as { f0_today: number; f0_7d: number; tests_today: number; positives_today: number };
      const l = liveRows[0] as { f1_active: number; open_reports: number } | undefined;
      const counters: UnitCounters = {
        f0Today: d.f0_today,
        f0Last7Days: d.f0_7d,
        f1Active: l?.f1_active ?? 0,
        testsToday: d.tests_today,
        positivesToday: d.positives_today,
        openReports: l?.open_reports ?? 0,
      };
      return {
        unit: { code: unit.code, name: unit.name, level: unit.level },
        cursor: c ? formatCursor(c.stream_epoch, `${c.stream_ms}-${c.stream_seq}`) : null,
        generatedAt: new Date().toISOString(),
        day: today,
        counters,
        recent: (recentRows as StoredEventRow[]).map((r) => toFeedEvent(rowToStoredEvent(r))),
        unacknowledged: [],
      };
    });
  }
}
