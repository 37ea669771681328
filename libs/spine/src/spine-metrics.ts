import type { StoredEvent } from '@frontline/contracts';

/**
 * Where a committed event came from, for the events-ingested metric:
 * - `ingest`: appended as sent through `POST /api/v1/events`;
 * - `integration`: sent through `POST /api/v1/events` and taken by a registry (an integration's
 *   case or contact registered by the case engine, decision 0028);
 * - `server`: created by the server itself (the api's commands, the worker's consumers and jobs).
 */
export type EventOrigin = 'ingest' | 'integration' | 'server';

/** The origin of every event of a unit of work, or a function telling it per event. */
export type EventOriginOf = EventOrigin | ((event: StoredEvent) => EventOrigin);

/**
 * What the spine counts for the process's metrics. Implemented by `@frontline/metrics` and
 * provided under `SPINE_METRICS`; the spine works the same without it.
 */
export interface SpineMetrics {
  /** Events of a unit of work, once their transaction has committed. */
  eventsCommitted(events: readonly StoredEvent[], origin: EventOriginOf): void;
  /** Events the outbox relay marked for publishing again after the stream was reset. */
  eventsRepublished(count: number): void;
}

export const SPINE_METRICS = Symbol('SPINE_METRICS');
