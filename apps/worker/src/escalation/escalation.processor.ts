import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { EscalationJob, QUEUES } from '@frontline/queue';
import { EscalationOutcome, EscalationService } from './escalation.service';

/** The delayed job of one task deadline and level fires here (several workers may run it: see EscalationService). */
@Processor(QUEUES.escalations, { concurrency: 20 })
export class EscalationProcessor extends WorkerHost {
  constructor(private readonly escalations: EscalationService) {
    super();
  }

  process(job: Job<EscalationJob>): Promise<EscalationOutcome> {
    return this.escalations.run(job.data);
  }
}
