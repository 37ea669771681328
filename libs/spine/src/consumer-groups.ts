/**
 * Every consumer group of the event stream, in one place. Each group has exactly one
 * `@StreamConsumer(group)` class in the worker; each writes a receipt for every entry it reads,
 * and after a Redis loss the outbox relay republishes every event that any of these groups has
 * no receipt for.
 */
export const CONSUMER_GROUPS = [
  /** KPIs and per-unit aggregates, urgent reports. */
  'projector',
  /** Results turned into lab registry rows and case changes; confirmations into tracing tasks. */
  'case-rules',
  /** Jobs that follow a commit: task deadline escalations, lockdown ending notices, coverage-gap rechecks. */
  'follow-up-jobs',
] as const;

export type ConsumerGroupName = (typeof CONSUMER_GROUPS)[number];
