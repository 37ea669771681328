import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { StoredEvent } from '@frontline/contracts';
import type { EventOrigin, EventOriginOf, SpineMetrics } from '@frontline/spine';
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
    // Added once per (path, type), not per event: an ingest batch holds up to 1,000 events.
    const counts = new Map<EventOrigin, Map<string, number>>();
    for (const event of events) {
      const path = typeof origin === 'function' ? origin(event) : origin;
      let byType = counts.get(path);
      if (!byType) counts.set(path, (byType = new Map()));
      byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
    }
    for (const [path, byType] of counts) for (const [type, n] of byType) this.ingested.inc({ type, path }, n);
  }

  eventsRepublished(count: number): void {
    this.republished.inc(count);
  }
}
