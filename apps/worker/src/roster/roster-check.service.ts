import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withTryLock } from '@frontline/database';
import { EventStore, LOGGER, UnitOfWork } from '@frontline/spine';
import type { Logger } from '@frontline/logger';
import { RosterChecks } from '@frontline/roster-ops';

/** Session advisory lock: one worker at a time runs the roster check. */
const LOCK_KEY = 'frontline:roster-check';

/**
 * The roster check itself: the coverage gaps of every center (time passing makes gaps urgent
 * and brings new days into the 14-day window) and the missed check-ins, under
 * `pg_try_advisory_lock` so that two runs never overlap, whatever schedules them. The BullMQ
 * repeatable job of `RosterCheckScheduler` calls it (docs/decisions/0014-roster-feeds-and-schedules.md).
 */
@Injectable()
export class RosterCheckService {
  private readonly checks: RosterChecks;

  constructor(
    private readonly dataSource: DataSource,
    store: EventStore,
    unitOfWork: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.checks = new RosterChecks(dataSource, store, unitOfWork);
  }

  /** Runs both checks if this worker gets the lock; false when another run holds it. */
  async runOnce(now = Date.now()): Promise<boolean> {
    const run = await withTryLock(this.dataSource, LOCK_KEY, async () => {
      const gaps = await this.checks.recomputeGaps(now);
      const missed = await this.checks.checkMissedCheckIns(now);
      if (gaps.detected || gaps.closed || missed) {
        this.logger.info({ ...gaps, missedCheckIns: missed }, 'roster check raised alerts');
      }
    });
    return run.ran;
  }

  /**
   * The coverage gaps of one center, after a change of its roster. No session lock: the
   * per-center lock inside the reconciliation already orders it with the periodic check.
   */
  async recheckCenter(centerId: string, now = Date.now()): Promise<void> {
    const gaps = await this.checks.recomputeGaps(now, [centerId]);
    if (gaps.detected || gaps.closed) this.logger.info({ centerId, ...gaps }, 'coverage gaps updated');
  }
}
