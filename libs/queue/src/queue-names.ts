/**
 * Every BullMQ queue Frontline uses, in one place so the api (which adds jobs) and the worker
 * (which processes them) cannot drift apart. Keys live under `<REDIS_PREFIX>bull:<name>`.
 */
export const QUEUES = {
  /** Lab result files (CSV / JSON) parsed and committed in chunks. */
  labUploads: 'lab-uploads',
  /** One delayed job per task deadline (acknowledge / finish): escalates when it fires. */
  escalations: 'escalations',
  /** Repeating checks: roster coverage gaps and missed check-ins, screening due lists, lockdown ends. */
  schedules: 'schedules',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
