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

/** The warning before a lockdown's planned end, on the same delayed-job queue. */
export const LOCKDOWN_JOB_NAME = 'lockdown-ending-soon';
/** How long before the planned end the warning is raised. */
export const LOCKDOWN_WARN_BEFORE_MS = 24 * 3600_000;

export interface LockdownEndingJob {
  lockdownId: string;
  plannedEnd: string;
}

/** One job per (lockdown, planned end): amending the end schedules a new warning; the old one finds the end changed. */
export function lockdownEndingSoonJob(lockdownId: string, plannedEnd: string, now = Date.now()) {
  const end = Date.parse(plannedEnd);
  return {
    data: { lockdownId, plannedEnd: new Date(end).toISOString() } as LockdownEndingJob,
    options: {
      jobId: `lockdown_${lockdownId}_${end}`,
      delay: Math.max(0, end - LOCKDOWN_WARN_BEFORE_MS - now),
      attempts: 10,
      backoff: { type: 'exponential' as const, delay: 1000 },
    },
  };
}
