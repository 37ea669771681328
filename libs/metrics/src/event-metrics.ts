import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { StoredEvent } from '@frontline/contracts';
import type { EventOriginOf, SpineMetrics } from '@frontline/spine';
import { MetricsRegistry } from './metrics-registry';

/** What the spine reports (committed events by type and origin, relay republishes), as counters. */
@Injectable()
export class EventMetrics implements SpineMetrics {
  private readonly ingested: Counter<'type' | 'path'>;
  private readonly republished: Counter;

  constructor(metrics: MetricsRegistry) {
    this.ingested = new Counter({
      name: 'frontline_events_ingested_total',
      help: 'Events committed to the event log, by type and by the path they came in by (ingest, integration, server).',
      labelNames: ['type', 'path'],
      registers: [metrics.registry],
    });
    this.republished = new Counter({
      name: 'frontline_relay_republished_events_total',
      help: 'Events the outbox relay marked for publishing again after the event stream was reset (Redis lost its data).',
      registers: [metrics.registry],
    });
  }

  eventsCommitted(events: readonly StoredEvent[], origin: EventOriginOf): void {
    // One increment per (type, path), not per event: an ingest batch holds up to 1,000.
    const counts = new Map<string, { type: string; path: string; n: number }>();
    for (const event of events) {
      const path = typeof origin === 'function' ? origin(event) : origin;
      const key = `${event.type} ${path}`;
      const entry = counts.get(key);
      if (entry) entry.n++;
      else counts.set(key, { type: event.type, path, n: 1 });
    }
    for (const { type, path, n } of counts.values()) this.ingested.inc({ type, path }, n);
  }

  eventsRepublished(count: number): void {
    this.republished.inc(count);
  }
}
