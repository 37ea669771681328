import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import { type Job, type Queue, QUEUES, ROSTER_RECHECK_JOB_NAME, type RosterRecheckJob } from '@frontline/queue';
import { LOGGER } from '@frontline/spine';
import { RosterCheckService } from './roster-check.service';

/** The one job scheduler (deterministic id) of the roster check in `QUEUES.rosterChecks`. */
export const ROSTER_CHECK_SCHEDULER_ID = 'roster-check';
/** Name of the jobs it produces. */
export const ROSTER_CHECK_JOB = 'roster-check';

/**
 * Every ROSTER_CHECK_INTERVAL_MS (default 5 minutes; 0 = off) a BullMQ repeatable job runs the
 * roster check. The scheduler id is fixed, so however many workers start (each upserts the same
 * scheduler), BullMQ keeps one pending job per round and one worker takes it; the advisory lock
 * inside `RosterCheckService.runOnce` still guards against two runs overlapping (a slow run and
 * the next round). The same queue carries the recheck of one center after a roster change
 * (`ROSTER_RECHECK_JOB_NAME`, added by the follow-up-jobs consumer).
 */
@Processor(QUEUES.rosterChecks)
export class RosterCheckScheduler extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.rosterChecks) private readonly queue: Queue,
    private readonly check: RosterCheckService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  /**
   * Not awaited: with Redis away BullMQ waits for it, and the worker must still start and report
   * its readiness; the scheduler is written when Redis answers.
   */
  onApplicationBootstrap(): void {
    const every = this.config.ROSTER_CHECK_INTERVAL_MS;
    if (every === 0) {
      // Off: also stop a schedule left by an earlier configuration.
      this.queue.removeJobScheduler(ROSTER_CHECK_SCHEDULER_ID).catch(() => undefined);
      this.logger.info('roster check off (ROSTER_CHECK_INTERVAL_MS=0)');
      return;
    }
    this.queue
      .upsertJobScheduler(
        ROSTER_CHECK_SCHEDULER_ID,
        { every, immediately: true },
        { name: ROSTER_CHECK_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      )
      .then(() => this.logger.info({ everyMs: every }, 'roster check scheduled'))
      .catch((err: unknown) => this.logger.warn({ err }, 'could not schedule the roster check'));
  }

  async process(job: Job): Promise<{ ran: boolean } | undefined> {
    if (job.name === ROSTER_RECHECK_JOB_NAME) {
      await this.check.recheckCenter((job.data as RosterRecheckJob).centerId, Date.now());
      return { ran: true };
    }
    if (job.name !== ROSTER_CHECK_JOB) return undefined;
    const ran = await this.check.runOnce(Date.now());
    return { ran };
  }
}
