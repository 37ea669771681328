/**
 * Every BullMQ queue Frontline uses, in one place so the api (which adds jobs) and the worker
 * (which processes them) cannot drift apart. Keys live under `<REDIS_PREFIX>bull:<name>`.
 */
export const QUEUES = {
  /** Lab result files (CSV / JSON) parsed and committed in chunks. */
  labUploads: 'lab-uploads',
  /** One delayed job per task deadline (acknowledge / finish): escalates when it fires. */
  escalations: 'escalations',
  /*
   * Repeating checks, one queue each: BullMQ gives any job of a queue to any processor of that
   * queue, so checks that shared one would take each other's jobs.
   */
  /** Roster coverage gaps and missed check-ins. */
  rosterChecks: 'roster-checks',
  /** Screening programs: who and which site is due or overdue. */
  screeningChecks: 'screening-checks',
  /** Open task deadlines whose escalation job is missing from Redis are scheduled again. */
  escalationSweeps: 'escalation-sweeps',
  /** Contacts at the end of monitoring with a negative exit test are released. */
  caseReleaseChecks: 'case-release-checks',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
