import { Inject, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import { type Job, type Queue, QUEUES } from '@frontline/queue';
import { LOGGER } from '@frontline/spine';
import { EscalationSweepService, SweepOutcome } from './escalation-sweep.service';

/** The one job scheduler id (and job name) of the escalation sweep. */
export const ESCALATION_SWEEP = 'escalation-sweep';

/**
 * Runs the escalation sweep every ESCALATION_SWEEP_INTERVAL_MS on its own queue (one pending job
 * per round whatever the number of workers). The scheduler itself lives in Redis: when Redis
 * loses its data, it is exactly when the sweep is needed, so each worker checks now and then that
 * the scheduler is still there and writes it again if not.
 */
@Processor(QUEUES.escalationSweeps)
export class EscalationSweepProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private guard?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QUEUES.escalationSweeps) private readonly queue: Queue,
    private readonly sweep: EscalationSweepService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  /** Not awaited: with Redis away the worker must still start; the scheduler is written when it answers. */
  onApplicationBootstrap(): void {
    const every = this.config.ESCALATION_SWEEP_INTERVAL_MS;
    if (every === 0) {
      this.queue.removeJobScheduler(ESCALATION_SWEEP).catch(() => undefined);
      this.logger.info('escalation sweep off (ESCALATION_SWEEP_INTERVAL_MS=0)');
      return;
    }
    void this.ensureScheduled(every);
    this.guard = setInterval(() => void this.ensureScheduled(every), Math.min(Math.max(every * 5, 5000), 300_000));
    this.guard.unref();
  }

  onModuleDestroy(): void {
    if (this.guard) clearInterval(this.guard);
  }

  async process(job: Job): Promise<SweepOutcome> {
    if (job.name !== ESCALATION_SWEEP) throw new Error(`no handler for job "${job.name}"`);
    // Deadlines due before the round after next: a job added now is in place well before it fires.
    return this.sweep.runOnce(Math.max(2 * this.config.ESCALATION_SWEEP_INTERVAL_MS, 60_000));
  }

  private async ensureScheduled(every: number): Promise<void> {
    try {
      if (await this.queue.getJobScheduler(ESCALATION_SWEEP)) return;
      await this.queue.upsertJobScheduler(
        ESCALATION_SWEEP,
        { every },
        { name: ESCALATION_SWEEP, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'escalation sweep not scheduled (Redis away?)');
    }
  }
}
