import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import { type Job, type Queue, QUEUES } from '@frontline/queue';
import { LOGGER, UnitOfWork } from '@frontline/spine';
import { CaseRulesConsumer } from './case-rules.consumer';

/** The one scheduler id of the release check: every worker upserts the same, so it runs once per period. */
export const RELEASE_CHECK_JOB = 'cases:release-check';

/**
 * Repeating job on its own queue: contacts whose monitoring has ended with a negative exit
 * test are released (`case.released`, automatic). Each run is one transaction (rows locked
 * with SKIP LOCKED), so two runs never release the same contact twice.
 */
@Processor(QUEUES.caseReleaseChecks)
export class ReleaseCheckProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.caseReleaseChecks) private readonly queue: Queue,
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: CaseRulesConsumer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  /**
   * Not awaited: with Redis away BullMQ waits for it, and the worker must still start (and serve
   * what it can from PostgreSQL); the scheduler is written when Redis answers.
   */
  onApplicationBootstrap(): void {
    const every = this.config.CASE_RELEASE_CHECK_INTERVAL_MS;
    if (every === 0) {
      this.logger.info('case release check off (CASE_RELEASE_CHECK_INTERVAL_MS=0)');
      this.queue.removeJobScheduler(RELEASE_CHECK_JOB).catch(() => undefined);
      return;
    }
    this.queue
      .upsertJobScheduler(RELEASE_CHECK_JOB, { every }, { name: RELEASE_CHECK_JOB, data: {} })
      .catch((err: unknown) => this.logger.warn({ err }, 'could not schedule the case release check'));
  }

  async process(job: Job): Promise<{ released: number }> {
    if (job.name !== RELEASE_CHECK_JOB) throw new Error(`no handler for job "${job.name}"`);
    let released = 0;
    for (;;) {
      const events = await this.unitOfWork.run((em) => this.rules.engine.releaseDue(em, 'system:case-rules', 200));
      if (!events.length) break;
      released += events.length;
      if (events.length < 200) break;
    }
    if (released) this.logger.info({ released }, 'contacts released at the end of monitoring');
    return { released };
  }
}
