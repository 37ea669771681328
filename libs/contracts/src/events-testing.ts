import type { Severity } from './event-parts';

/**
 * Lab testing and screening events (events.md: `pool.resulted`, `retest.required`,
 * `screening.due`, `screening.overdue`). `test.resulted` itself is in events.ts.
 */
export const TESTING_EVENT_PAYLOADS = {} as const;

export const TESTING_EVENT_SEVERITY: Record<keyof typeof TESTING_EVENT_PAYLOADS, Severity> = {};

/** Created only by the server after its checks; refused by `POST /api/v1/events`. */
export const TESTING_SYSTEM_EVENT_TYPES: readonly (keyof typeof TESTING_EVENT_PAYLOADS)[] = [];
