import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { EventStore, LOGGER, StreamPublisher } from '@frontline/spine';
import type { Logger } from '@frontline/logger';
import { RosterChecks } from '../../../../libs/roster-ops/src';

/** Session advisory lock: one worker at a time runs the roster check. */
const LOCK_KEY = 'frontline:roster-check';

/**
 * Every ROSTER_CHECK_INTERVAL_MS (default 5 minutes), under `pg_try_advisory_lock`: the coverage
 * gaps of every center (time passing makes gaps urgent and brings new days into the 14-day
 * window) and the missed check-ins. An interval timer until BullMQ is installed; then a BullMQ
 * repeatable job replaces it (docs/decisions/0009-roster-alerts.md).
 */
@Injectable()
export class RosterCheckService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly checks: RosterChecks;

  constructor(
    private readonly dataSource: DataSource,
    store: EventStore,
    publisher: StreamPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.checks = new RosterChecks(dataSource, store, publisher);
  }

  onApplicationBootstrap(): void {
    if (this.config.ROSTER_CHECK_INTERVAL_MS === 0) {
      this.logger.info('roster check off (ROSTER_CHECK_INTERVAL_MS=0)');
      return;
    }
    this.timer = setInterval(() => this.tick(), this.config.ROSTER_CHECK_INTERVAL_MS);
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return; // the previous run is still going
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error({ err }, 'roster check failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Runs both checks if this worker gets the lock; false when another worker holds it. */
  async runOnce(now = Date.now()): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(
        `SELECT pg_try_advisory_lock(hashtext($1)) AS locked`,
        [LOCK_KEY],
      )) as { locked: boolean }[];
      if (!locked) return false;
      try {
        const gaps = await this.checks.recomputeGaps(now);
        const missed = await this.checks.checkMissedCheckIns(now);
        if (gaps.detected || gaps.closed || missed) {
          this.logger.info({ ...gaps, missedCheckIns: missed }, 'roster check raised alerts');
        }
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [LOCK_KEY]);
      }
      return true;
    } finally {
      await runner.release();
    }
  }
}
