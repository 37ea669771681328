/**
 * The duty roster as plain data (what the database rows hold, without the database). Instants
 * are epoch milliseconds; local dates and times are wall-clock strings of the deployment's
 * time zone (FRONTLINE_TIMEZONE, through @frontline/time).
 */

export interface DutyPosition {
  centerId: string;
  /** 'commander', 'duty-officer', 'medical-duty', 'police-duty', ... */
  code: string;
  requiredCount: number;
}

/**
 * A repeating pattern: shift k starts at `anchor + k * shiftHours` and is held by
 * `perShift` consecutive people of `staffIds`, cycling (shift k takes people
 * k*perShift .. k*perShift+perShift-1, modulo the list).
 */
export interface Rotation {
  id: string;
  centerId: string;
  position: string;
  shiftHours: number;
  /** Local wall-clock start of shift 0, e.g. "2021-08-30T07:00". */
  anchor: string;
  staffIds: readonly string[];
  perShift: number;
  /** First local date on which a shift of this rotation may start. */
  validFrom: string;
  /** Last local date on which a shift may start (inclusive); null: open-ended. */
  validTo: string | null;
  /**
   * Set: the rotation holds only on that special day (shifts starting on its date), and
   * replaces the regular rotations of the same center and position on that date.
   */
  specialDayId: string | null;
}

/** A holiday (Tết, 2/9, ...). With no rotation of its own it is kept 'same' as any day. */
export interface SpecialDay {
  id: string;
  /** null: every center. */
  centerId: string | null;
  date: string;
  name: string;
}

/**
 * One shift changed by hand: `inStaffId` takes the place of `outStaffId` in the shift of
 * (center, position) starting at `shiftStart`; with no `outStaffId` the person is added (fills
 * a vacant place or reinforces the shift).
 */
export interface Override {
  id: string;
  centerId: string;
  position: string;
  shiftStart: number;
  outStaffId: string | null;
  inStaffId: string;
}

export type SwapStatus = 'proposed' | 'approved' | 'rejected';

/** Two people trade two shifts; only an approved swap (by the commander) changes the roster. */
export interface Swap {
  id: string;
  centerId: string;
  staffA: string;
  positionA: string;
  shiftStartA: number;
  staffB: string;
  positionB: string;
  shiftStartB: number;
  status: SwapStatus;
  /** Approved swaps apply in approval order. */
  approvedAt: number | null;
}

/** A person away in [from, to): removed from every shift that overlaps it. */
export interface Leave {
  id: string;
  staffId: string;
  from: number;
  to: number;
}

export interface RosterData {
  positions: readonly DutyPosition[];
  rotations: readonly Rotation[];
  specialDays: readonly SpecialDay[];
  overrides: readonly Override[];
  swaps: readonly Swap[];
  leave: readonly Leave[];
}

/** One concrete shift after every rule. */
export interface Shift {
  centerId: string;
  position: string;
  start: number;
  end: number;
  rotationId: string;
  /** The holiday this shift starts on, if any. */
  specialDay: string | null;
  /** The people who hold it: pattern, then approved swaps, then overrides, minus leave. */
  staffIds: string[];
  /** People the shift would have had but who are on leave. */
  onLeave: string[];
  requiredCount: number;
}

export interface Gap {
  centerId: string;
  position: string;
  from: number;
  to: number;
  requiredCount: number;
  /** The fewest people on duty at any moment of the gap. */
  staffed: number;
}
