/**
 * The coverage-gap recheck of one center after a roster change (queue `QUEUES.rosterChecks`,
 * beside the periodic roster check). The follow-up-jobs consumer adds one per committed
 * `roster.changed`; its id is derived from the event, so a redelivered event adds nothing twice.
 */
export const ROSTER_RECHECK_JOB_NAME = 'roster-recheck';

export interface RosterRecheckJob {
  centerId: string;
}

export function rosterRecheckJob(centerId: string, eventId: string) {
  return {
    data: { centerId } as RosterRecheckJob,
    options: {
      // BullMQ custom ids may not contain ':'; event ids are UUIDs.
      jobId: `recheck_${eventId}`,
      attempts: 10,
      backoff: { type: 'exponential' as const, delay: 1000 },
      // A recheck is idempotent: the kept ids only absorb redeliveries, they need not last.
      removeOnComplete: 1000,
      removeOnFail: 1000,
    },
  };
}
