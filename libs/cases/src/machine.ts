import type { CaseClassification, CaseStatus } from '@frontline/contracts';

/** Statuses a contact or suspected case is still under monitoring in. */
export const MONITORED: readonly CaseStatus[] = ['identified', 'quarantined', 'tested'];
/** F0 statuses of an active (not finished) case. */
export const F0_ACTIVE: readonly CaseStatus[] = ['proposed', 'admitted', 'treated'];
export const TERMINAL: readonly CaseStatus[] = ['released', 'recovered', 'transferred', 'died', 'confirmed'];

/**
 * The plain status moves (`POST /cases/:id/status`). Release, confirmation (contact -> F0 and
 * proposed -> admitted) have their own checks and endpoints.
 */
const MOVES: Record<'contact' | 'F0', Partial<Record<CaseStatus, readonly CaseStatus[]>>> = {
  contact: {
    identified: ['quarantined', 'tested'],
    quarantined: ['tested'],
    tested: ['quarantined'],
  },
  F0: {
    admitted: ['treated', 'recovered', 'transferred', 'died'],
    treated: ['recovered', 'transferred', 'died'],
  },
};

export function machineOf(classification: CaseClassification): 'contact' | 'F0' {
  return classification === 'F0' ? 'F0' : 'contact';
}

/** null when the move is allowed, otherwise why not (the 409 message). */
export function refuseMove(classification: CaseClassification, from: CaseStatus, to: CaseStatus): string | null {
  if (from === to) return `the case is already ${to}`;
  if (TERMINAL.includes(from)) return `the case is ${from}, a final status: no transition out of it`;
  if (to === 'released') return null; // decided by the release rule
  if (to === 'confirmed' || (from === 'proposed' && to === 'admitted'))
    return 'confirming a case goes through POST /api/v1/cases/:id/confirm';
  if (from === 'proposed') return 'the case is a proposal: confirm it first';
  const allowed = MOVES[machineOf(classification)][from] ?? [];
  if (!allowed.includes(to)) {
    return `${classification} ${from} -> ${to} is not a transition (allowed: ${allowed.join(', ') || 'none'})`;
  }
  return null;
}

/** Adds `days` to a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A negative test counts as the exit test when taken this many days before the end of monitoring or later. */
export const EXIT_TEST_WINDOW_DAYS = 3;

export interface ReleaseFacts {
  classification: CaseClassification;
  status: CaseStatus;
  monitoringStart: string;
  monitoringDays: number;
  /** Day (local) of the latest negative test, null if none. */
  exitTestDay: string | null;
  today: string;
}

/** null when the contact may be released today, otherwise why not. */
export function refuseRelease(f: ReleaseFacts): string | null {
  if (f.classification === 'F0')
    return 'an F0 is never released: it ends as recovered, transferred or died';
  if (!MONITORED.includes(f.status)) return `the case is ${f.status}: only a case under monitoring is released`;
  const ends = addDays(f.monitoringStart, f.monitoringDays);
  if (f.today < ends) return `monitoring runs until ${ends} (${f.monitoringDays} days from ${f.monitoringStart})`;
  const windowStart = addDays(ends, -EXIT_TEST_WINDOW_DAYS);
  if (!f.exitTestDay || f.exitTestDay < windowStart)
    return `no negative exit test taken on or after ${windowStart}`;
  return null;
}
