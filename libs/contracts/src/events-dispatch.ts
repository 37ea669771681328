import type { Severity } from './event-parts';

/**
 * Urgent reports after intake, tasks, teams, escalations and zones (events.md: `report.triaged`,
 * `report.merged`, `report.closed`, `task.*`, `team.status-changed`, `zone.level-changed`,
 * `lockdown.*`). `report.received` and `report.acknowledged` are in events.ts.
 */
export const DISPATCH_EVENT_PAYLOADS = {} as const;

export const DISPATCH_EVENT_SEVERITY: Record<keyof typeof DISPATCH_EVENT_PAYLOADS, Severity> = {};

/** Created only by the server after its checks; refused by `POST /api/v1/events`. */
export const DISPATCH_SYSTEM_EVENT_TYPES: readonly (keyof typeof DISPATCH_EVENT_PAYLOADS)[] = [];
