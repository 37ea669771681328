import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '@frontline/contracts';
import { dayIn } from '@frontline/spine';

interface DailyDelta {
  f0: number;
  f1: number;
  tests: number;
  positives: number;
  reports: number;
}
interface LiveDelta {
  f1Active: number;
  openReports: number;
}
interface LiveRow extends LiveDelta {
  unit: string;
  /** Latest occurred_at seen in the unit's subtree (ms), for "last event" on the console. */
  lastEventMs: number;
}

/** What one event adds to the counters of its unit (and so of every ancestor). */
export function countersDelta(event: StoredEvent): { daily?: Partial<DailyDelta>; live?: Partial<LiveDelta> } {
  switch (event.type) {
    case 'case.confirmed':
      return { daily: { f0: 1 } };
    case 'contact.identified':
      return event.payload.classification === 'F1' ? { daily: { f1: 1 }, live: { f1Active: 1 } } : {};
    case 'test.resulted':
      return { daily: { tests: 1, positives: event.payload.result === 'positive' ? 1 : 0 } };
    case 'report.received':
      return { daily: { reports: 1 }, live: { openReports: 1 } };
    // Acknowledging is not closing: a report stays open (and counted) until dispatch closes it
    // or folds it into another, as the dispatch list of open reports has it
    // (docs/decisions/0007-operations-console-reads.md).
    case 'report.acknowledged':
      return {};
    case 'report.closed':
    case 'report.merged':
      return { live: { openReports: -1 } };
    // An F1 leaves monitoring when released or when it becomes an F0.
    case 'case.released':
      return event.payload.classification === 'F1' ? { live: { f1Active: -1 } } : {};
    case 'case.reclassified':
      return event.payload.from === 'F1' ? { live: { f1Active: -1 } } : {};
    default:
      return {};
  }
}

/**
 * Per-unit counters: F0 / F1 / tests / positives / reports per day, the live counts (F1 under
 * monitoring, open reports) and the time of the latest event. Every event counts for each unit
 * on its path, so a province's figure is one row. Applied in one statement per table per batch.
 */
export async function applyUnitCounters(em: EntityManager, events: StoredEvent[], timeZone: string): Promise<void> {
  const daily = new Map<string, DailyDelta & { unit: string; day: string }>();
  const live = new Map<string, LiveRow>();
  for (const event of events) {
    if (event.drill) continue; // drills never move the real figures
    const delta = countersDelta(event);
    const day = dayIn(timeZone, event.occurredAt);
    const occurredMs = Date.parse(event.occurredAt);
    for (const unit of event.unitPath) {
      if (delta.daily) {
        const key = `${unit}|${day}`;
        const row = daily.get(key) ?? { unit, day, f0: 0, f1: 0, tests: 0, positives: 0, reports: 0 };
        row.f0 += delta.daily.f0 ?? 0;
        row.f1 += delta.daily.f1 ?? 0;
        row.tests += delta.daily.tests ?? 0;
        row.positives += delta.daily.positives ?? 0;
        row.reports += delta.daily.reports ?? 0;
        daily.set(key, row);
      }
      const row = live.get(unit) ?? { unit, f1Active: 0, openReports: 0, lastEventMs: occurredMs };
      row.f1Active += delta.live?.f1Active ?? 0;
      row.openReports += delta.live?.openReports ?? 0;
      row.lastEventMs = Math.max(row.lastEventMs, occurredMs);
      live.set(unit, row);
    }
  }
  if (daily.size) {
    const rows = [...daily.values()];
    await em.query(
      `INSERT INTO unit_daily_counters AS c (unit_code, day, f0, f1, tests, positives, reports)
       SELECT * FROM unnest($1::text[], $2::date[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[])
       ON CONFLICT (unit_code, day) DO UPDATE SET
         f0 = c.f0 + EXCLUDED.f0, f1 = c.f1 + EXCLUDED.f1, tests = c.tests + EXCLUDED.tests,
         positives = c.positives + EXCLUDED.positives, reports = c.reports + EXCLUDED.reports`,
      [
        rows.map((r) => r.unit),
        rows.map((r) => r.day),
        rows.map((r) => r.f0),
        rows.map((r) => r.f1),
        rows.map((r) => r.tests),
        rows.map((r) => r.positives),
        rows.map((r) => r.reports),
      ],
    );
  }
  if (live.size) {
    const rows = [...live.values()];
    await em.query(
      `INSERT INTO unit_live_counters AS c (unit_code, f1_active, open_reports, last_event_at)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::timestamptz[])
       ON CONFLICT (unit_code) DO UPDATE SET
         f1_active = c.f1_active + EXCLUDED.f1_active, open_reports = c.open_reports + EXCLUDED.open_reports,
         last_event_at = GREATEST(c.last_event_at, EXCLUDED.last_event_at)`,
      [
        rows.map((r) => r.unit),
        rows.map((r) => r.f1Active),
        rows.map((r) => r.openReports),
        rows.map((r) => new Date(r.lastEventMs).toISOString()),
      ],
    );
  }
}
