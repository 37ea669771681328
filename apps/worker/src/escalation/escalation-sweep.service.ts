import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { Logger } from '@frontline/logger';
import {
  ESCALATION_JOB_NAME,
  ESCALATION_MAX_LEVEL,
  EscalationJob,
  escalationJobId,
  escalationJobOptions,
  type Queue,
  QUEUES,
} from '@frontline/queue';
import { LOGGER } from '@frontline/spine';
import { EscalationRepository, OpenDeadline } from './escalation.repository';

/** Most deadlines looked at in one sweep; the next round takes the rest. */
const SWEEP_BATCH = 5000;
/** Redis round trips in flight at once. */
const PARALLEL = 50;

export interface SweepOutcome {
  checked: number;
  added: number;
  retried: number;
}

/**
 * The escalation sweep (docs/decisions/0018-dispatch-board.md). The api adds a task's first
 * escalation job after its commit; if Redis was away then (or lost its data since), nothing would
 * ever escalate the task. Each round reads from PostgreSQL the open deadlines that are due soon or
 * past and the last level each reached, works out the job that should be pending (same
 * deterministic id as the api's and the worker's), and adds it when BullMQ does not have it. An
 * existing job makes the add a no-op, and the (task, deadline, level) row makes a duplicate
 * escalate nothing, so a sweep can never make a deadline escalate twice.
 */
@Injectable()
export class EscalationSweepService {
  constructor(
    private readonly tasks: EscalationRepository,
    @InjectQueue(QUEUES.escalations) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Deadlines due within `horizonMs` are looked at; later ones are left to a later round. */
  async runOnce(horizonMs: number, now = Date.now()): Promise<SweepOutcome> {
    const horizon = new Date(now + horizonMs);
    const rows = await this.tasks.openDeadlines(horizon, ESCALATION_MAX_LEVEL, SWEEP_BATCH);

    const expected = rows.map((r) => this.pendingJob(r)).filter((j) => Date.parse(j.due) <= horizon.getTime());
    let added = 0;
    let retried = 0;
    for (let i = 0; i < expected.length; i += PARALLEL) {
      await Promise.all(
        expected.slice(i, i + PARALLEL).map(async (job) => {
          const existing = await this.queue.getJob(escalationJobId(job));
          if (!existing) {
            await this.queue.add(ESCALATION_JOB_NAME, job, escalationJobOptions(job, now));
            added++;
          } else if (await existing.isFailed()) {
            // It ran out of attempts (PostgreSQL away for long): give it another round.
            await existing.retry('failed');
            retried++;
          }
        }),
      );
    }
    if (added || retried) this.logger.warn({ checked: expected.length, added, retried }, 'escalation sweep re-scheduled missing deadline jobs');
    return { checked: expected.length, added, retried };
  }

  /** The job that should be pending for this deadline: the level after the last one reached. */
  private pendingJob(d: OpenDeadline): EscalationJob {
    if (!d.last) return { taskId: d.taskId, deadline: d.deadline, level: 1, due: d.due.toISOString() };
    // As the worker schedules it: a full step after the previous level ran (or was due, if later).
    const step = this.config.DISPATCH_ACK_DEADLINES[d.priority] * 1000;
    const due = Math.max(d.last.due.getTime(), d.last.escalatedAt.getTime()) + step;
    return { taskId: d.taskId, deadline: d.deadline, level: (d.last.level + 1) as 2 | 3, due: new Date(due).toISOString() };
  }
}
