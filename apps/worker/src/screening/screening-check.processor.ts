import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import { Job, Queue, QUEUES } from '@frontline/queue';
import { EventStore, LOGGER, UnitOfWork } from '@frontline/spine';
import { ScreeningChecks } from './screening-checks';

/** The job scheduler (and job name) of the screening check: one per deployment, whatever the number of workers. */
export const SCREENING_CHECK = 'screening-check';

/**
 * The screening check's own queue. BullMQ hands every job of a queue to any processor of it,
 * so each repeating check has a queue of its own (libs/queue) instead of sharing one.
 */
@Processor(QUEUES.screeningChecks)
export class ScreeningCheckProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly screening: ScreeningChecks;

  constructor(
    dataSource: DataSource,
    store: EventStore,
    unitOfWork: UnitOfWork,
    @InjectQueue(QUEUES.screeningChecks) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.screening = new ScreeningChecks(dataSource, store, unitOfWork);
  }

  /** Not awaited: with Redis away the worker must still start; the scheduler is written when it answers. */
  onApplicationBootstrap(): void {
    const every = this.config.SCREENING_CHECK_INTERVAL_MS;
    const done =
      every > 0
        ? this.queue.upsertJobScheduler(SCREENING_CHECK, { every }, { name: SCREENING_CHECK })
        : this.queue.removeJobScheduler(SCREENING_CHECK);
    done.catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'screening check not scheduled'));
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case SCREENING_CHECK: {
        const raised = await this.screening.runOnce(new Date());
        if (raised.due || raised.overdue) this.logger.info(raised, 'screening check raised alerts');
        return raised;
      }
      default:
        throw new Error(`no handler for schedule job "${job.name}"`);
    }
  }
}
