/**
 * The escalation jobs of dispatched tasks (queue `QUEUES.escalations`), shared by the api, which
 * schedules the first level when a task is created or assigned, and the worker, which escalates
 * and schedules the next level. A job's id is derived from (task, deadline, level), so the same
 * deadline scheduled twice (a retried request, two instances) is one job.
 */
export type DeadlineKind = 'acknowledge' | 'finish';

export interface EscalationJob {
  taskId: string;
  deadline: DeadlineKind;
  level: 1 | 2 | 3;
  /** When this level is due (ISO instant). */
  due: string;
}

export const ESCALATION_JOB_NAME = 'escalate';
export const ESCALATION_MAX_LEVEL = 3;

/** BullMQ custom ids may not contain ':'; task ids are UUIDs. */
export function escalationJobId(job: Pick<EscalationJob, 'taskId' | 'deadline' | 'level'>): string {
  return `esc_${job.taskId}_${job.deadline}_${job.level}`;
}

/** Options for `queue.add(ESCALATION_JOB_NAME, job, options)`: fires at `due`, retried if the worker fails. */
export function escalationJobOptions(job: EscalationJob, now = Date.now()) {
  return {
    jobId: escalationJobId(job),
    delay: Math.max(0, Date.parse(job.due) - now),
    attempts: 10,
    backoff: { type: 'exponential' as const, delay: 1000 },
  };
}
