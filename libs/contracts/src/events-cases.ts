import type { Severity } from './event-parts';

/**
 * Cases and tracing events (events.md: `case.*`, `cluster.detected`). The first types
 * (`case.confirmed`, `contact.identified`) are in events.ts with the spine's core catalogue.
 */
export const CASE_EVENT_PAYLOADS = {} as const;

export const CASE_EVENT_SEVERITY: Record<keyof typeof CASE_EVENT_PAYLOADS, Severity> = {};

/** Created only by the server after its checks; refused by `POST /api/v1/events`. */
export const CASE_SYSTEM_EVENT_TYPES: readonly (keyof typeof CASE_EVENT_PAYLOADS)[] = [];
