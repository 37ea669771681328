import type { ScreeningStatus } from '@frontline/contracts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Cadence {
  cadenceDays: number;
  graceHours: number;
  /** When the program's first test is due. */
  startsAt: Date;
}

/** Days between tests for a cadence name (every-n-days takes N). */
export function cadenceDays(cadence: 'daily' | 'weekly' | 'every-n-days', everyDays?: number): number {
  return cadence === 'daily' ? 1 : cadence === 'weekly' ? 7 : everyDays!;
}

/**
 * When a target (site or person) must next be tested and where it stands now: due one cadence
 * after its last test (or at the program start when never tested; a test before the start still
 * counts from its own time), overdue once the grace period after that has passed too.
 */
export function screeningState(
  lastTestedAt: Date | null,
  c: Cadence,
  now: Date,
): { dueAt: Date; overdueAt: Date; status: ScreeningStatus } {
  const dueAt = lastTestedAt
    ? new Date(Math.max(lastTestedAt.getTime() + c.cadenceDays * DAY, c.startsAt.getTime()))
    : c.startsAt;
  const overdueAt = new Date(dueAt.getTime() + c.graceHours * HOUR);
  const t = now.getTime();
  const status: ScreeningStatus = t < dueAt.getTime() ? 'ok' : t < overdueAt.getTime() ? 'due' : 'overdue';
  return { dueAt, overdueAt, status };
}
