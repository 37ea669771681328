import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import {
  DeadlineKind,
  ESCALATION_JOB_NAME,
  ESCALATION_MAX_LEVEL,
  EscalationJob,
  escalationJobId,
  escalationJobOptions,
} from './escalation-jobs';
import { QUEUES } from './queue-names';

export type TaskPriority = 'critical' | 'high' | 'normal' | 'low';

/** The two deadlines of a task created at `now`, from the configured seconds per priority. */
export function taskDeadlines(
  config: { DISPATCH_ACK_DEADLINES: Record<string, number>; DISPATCH_FINISH_DEADLINES: Record<string, number> },
  priority: TaskPriority,
  now: Date,
): { acknowledge: Date; finish: Date } {
  return {
    acknowledge: new Date(now.getTime() + config.DISPATCH_ACK_DEADLINES[priority] * 1000),
    finish: new Date(now.getTime() + config.DISPATCH_FINISH_DEADLINES[priority] * 1000),
  };
}

/**
 * Schedules the first escalation level of each deadline of a task (the worker schedules the
 * next ones), and drops pending jobs once they can no longer escalate. Dropping is only a
 * saving: the worker checks the task's state in the transaction that would escalate, so a job
 * left behind by a failure here escalates nothing. Called by the worker's follow-up-jobs
 * consumer for every task's events, whoever created the task.
 */
@Injectable()
export class EscalationScheduler {
  constructor(@InjectQueue(QUEUES.escalations) private readonly queue: Queue) {}

  /**
   * Throws when Redis refuses, so the consumer's transaction rolls back and its entries are read
   * again. The job ids are derived from the task, so a retry adds nothing twice.
   */
  async schedule(taskId: string, deadlines: { acknowledge?: Date; finish?: Date }): Promise<void> {
    const jobs: EscalationJob[] = [];
    if (deadlines.acknowledge) jobs.push({ taskId, deadline: 'acknowledge', level: 1, due: deadlines.acknowledge.toISOString() });
    if (deadlines.finish) jobs.push({ taskId, deadline: 'finish', level: 1, due: deadlines.finish.toISOString() });
    await Promise.all(jobs.map((job) => this.queue.add(ESCALATION_JOB_NAME, job, escalationJobOptions(job))));
  }

  async drop(taskId: string, kinds: DeadlineKind[]): Promise<void> {
    const ids = kinds.flatMap((deadline) =>
      Array.from({ length: ESCALATION_MAX_LEVEL }, (_, i) => escalationJobId({ taskId, deadline, level: (i + 1) as 1 | 2 | 3 })),
    );
    await Promise.all(
      ids.map(async (id) => {
        try {
          const job = await this.queue.getJob(id);
          if (job && (await job.isDelayed())) await job.remove();
        } catch {
          /* already taken by a worker, or Redis away: the worker's state check covers it */
        }
      }),
    );
  }
}
