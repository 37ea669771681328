import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SnapshotResponse } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { FiguresService } from '../figures/figures.service';
import { toFeedEvent } from '../live/feed-event';
import { SnapshotRepository } from './snapshot.repository';

const RECENT = 50;
/** The console shows every waiting alarm; past a few hundred the list is no longer read anyway. */
const UNACKNOWLEDGED_MAX = 200;

@Injectable()
export class SnapshotService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: SnapshotRepository,
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
      const cursor = await this.reads.projectorCursor(em);
      const figures = await this.figures.figures([unit.code], em, today);
      const recent = await this.reads.recentFeedEvents(em, unit.code, RECENT);
      const unacknowledged = await this.reads.unacknowledgedReports(em, unit.code, UNACKNOWLEDGED_MAX);
      return {
        unit: { code: unit.code, name: unit.name, level: unit.level },
        cursor,
        generatedAt: new Date().toISOString(),
        day: today,
        counters: figures.get(unit.code)!.counters,
        recent: recent.map(toFeedEvent),
        unacknowledged: unacknowledged.map(toFeedEvent),
      };
    });
  }
}
