import { Processor, WorkerHost } from '@nestjs/bullmq';
import { EscalationJob, type Job, LOCKDOWN_JOB_NAME, LockdownEndingJob, QUEUES } from '@frontline/queue';
import { EscalationService } from './escalation.service';
import { LockdownEndingService } from './lockdown-ending.service';

/**
 * Delayed jobs of the dispatch area fire here (several workers may run the same one: see
 * EscalationService): a task deadline level, or the warning before a lockdown's planned end.
 */
@Processor(QUEUES.escalations, { concurrency: 20 })
export class EscalationProcessor extends WorkerHost {
  constructor(
    private readonly escalations: EscalationService,
    private readonly lockdowns: LockdownEndingService,
  ) {
    super();
  }

  process(job: Job<EscalationJob | LockdownEndingJob>): Promise<string> {
    if (job.name === LOCKDOWN_JOB_NAME) return this.lockdowns.run(job.data as LockdownEndingJob);
    return this.escalations.run(job.data as EscalationJob);
  }
}
