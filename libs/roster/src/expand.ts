import type { Gap, Rotation, RosterData, Shift, SpecialDay } from './model';
import { DAY_MS, HOUR_MS, localDateOf, localDateStart, localToInstant } from './zone';

const key = (centerId: string, position: string, start: number) =>
  `${centerId}\u0000${position}\u0000${start}`;

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** The people of shift k of a rotation. */
export function rotationCrew(rotation: Rotation, k: number): string[] {
  const n = rotation.staffIds.length;
  if (!n) return [];
  const crew: string[] = [];
  for (let j = 0; j < Math.min(rotation.perShift, n); j++)
    crew.push(rotation.staffIds[mod(k * rotation.perShift + j, n)]);
  return crew;
}

interface RawShift {
  rotation: Rotation;
  start: number;
  end: number;
  crew: string[];
  specialDay: SpecialDay | null;
}

/** Every shift of one rotation that overlaps [from, to), before swaps, overrides and leave. */
function rotationShifts(
  rotation: Rotation,
  specialDay: SpecialDay | null,
  from: number,
  to: number,
): RawShift[] {
  const shiftMs = rotation.shiftHours * HOUR_MS;
  if (!(shiftMs > 0) || !rotation.staffIds.length) return [];
  const anchor = localToInstant(rotation.anchor);
  // Shift starts allowed by the validity window (local dates, inclusive), or the special day.
  const windowFrom = specialDay
    ? localDateStart(specialDay.date)
    : localDateStart(rotation.validFrom);
  const windowTo = specialDay
    ? localDateStart(specialDay.date) + DAY_MS
    : rotation.validTo
      ? localDateStart(rotation.validTo) + DAY_MS
      : Number.POSITIVE_INFINITY;
  const firstK = Math.max(
    Math.floor((from - anchor) / shiftMs),
    Math.ceil((windowFrom - anchor) / shiftMs),
  );
  const out: RawShift[] = [];
  for (let k = firstK; ; k++) {
    const start = anchor + k * shiftMs;
    if (start >= to || start >= windowTo) break;
    if (start + shiftMs <= from || start < windowFrom) continue;
    out.push({
      rotation,
      start,
      end: start + shiftMs,
      crew: rotationCrew(rotation, k),
      specialDay,
    });
  }
  return out;
}

/**
 * The concrete shifts that overlap [from, to) (epoch ms), every rule applied:
 * 1. regular rotations expand by their pattern within their validity window;
 * 2. on a special day, a center/position that has a rotation for that day uses it for the shifts
 *    starting on that date instead of its regular ones (no special rotation: the day is 'same');
 * 3. approved swaps trade two people between two shifts, in approval order;
 * 4. overrides replace (or add) one person in one shift;
 * 5. anyone on leave during the shift is taken off it (the shift may become understaffed).
 * Shifts are sorted by start, then center, then position.
 */
export function expandShifts(data: RosterData, from: number, to: number): Shift[] {
  const required = new Map(
    data.positions.map((p) => [`${p.centerId}\u0000${p.code}`, p.requiredCount]),
  );
  const specialById = new Map(data.specialDays.map((d) => [d.id, d]));
  // Local dates on which a center/position runs a special rotation instead of its regular ones.
  const specialDates = new Set<string>();
  for (const r of data.rotations) {
    const day = r.specialDayId ? specialById.get(r.specialDayId) : undefined;
    if (day) specialDates.add(`${r.centerId}\u0000${r.position}\u0000${day.date}`);
  }
  const holidayOn = (centerId: string, date: string) =>
    data.specialDays.find(
      (d) => d.date === date && (d.centerId === null || d.centerId === centerId),
    ) ?? null;

  // Every shift overlapping the range, including one that started before `from`, so swaps and
  // overrides of that shift still apply.
  const raw: RawShift[] = [];
  for (const r of data.rotations) {
    if (r.specialDayId) {
      const day = specialById.get(r.specialDayId);
      if (day) raw.push(...rotationShifts(r, day, from, to));
      continue;
    }
    for (const s of rotationShifts(r, null, from, to)) {
      if (!specialDates.has(`${r.centerId}\u0000${r.position}\u0000${localDateOf(s.start)}`))
        raw.push(s);
    }
  }

  const byKey = new Map<string, RawShift[]>();
  for (const s of raw) {
    const k = key(s.rotation.centerId, s.rotation.position, s.start);
    const list = byKey.get(k) ?? [];
    list.push(s);
    byKey.set(k, list);
  }
  const replaceIn = (
    centerId: string,
    position: string,
    start: number,
    out: string | null,
    inn: string,
  ): boolean => {
    for (const s of byKey.get(key(centerId, position, start)) ?? []) {
      if (out === null) {
        if (!s.crew.includes(inn)) s.crew.push(inn);
        return true;
      }
      const i = s.crew.indexOf(out);
      if (i >= 0) {
        s.crew[i] = inn;
        return true;
      }
    }
    return false;
  };

  const swaps = data.swaps
    .filter((s) => s.status === 'approved')
    .sort((a, b) => (a.approvedAt ?? 0) - (b.approvedAt ?? 0));
  for (const s of swaps) {
    replaceIn(s.centerId, s.positionA, s.shiftStartA, s.staffA, s.staffB);
    replaceIn(s.centerId, s.positionB, s.shiftStartB, s.staffB, s.staffA);
  }
  for (const o of data.overrides)
    replaceIn(o.centerId, o.position, o.shiftStart, o.outStaffId, o.inStaffId);

  const shifts = raw.map((s): Shift => {
    const away = (staffId: string) =>
      data.leave.some((l) => l.staffId === staffId && l.from < s.end && l.to > s.start);
    const crew = [...new Set(s.crew)];
    const centerId = s.rotation.centerId;
    return {
      centerId,
      position: s.rotation.position,
      start: s.start,
      end: s.end,
      rotationId: s.rotation.id,
      specialDay: (s.specialDay ?? holidayOn(centerId, localDateOf(s.start)))?.name ?? null,
      staffIds: crew.filter((id) => !away(id)),
      onLeave: crew.filter(away),
      requiredCount: required.get(`${centerId}\u0000${s.rotation.position}`) ?? 1,
    };
  });
  return shifts.sort(
    (a, b) =>
      a.start - b.start ||
      a.centerId.localeCompare(b.centerId) ||
      a.position.localeCompare(b.position),
  );
}

export interface OnDutyEntry {
  centerId: string;
  position: string;
  requiredCount: number;
  /** Everyone on duty at the instant (shifts of several rotations may overlap). */
  staffIds: string[];
  /** The shifts that cover the instant. */
  shifts: Shift[];
}

/** Who is on duty at `at` for each center and position known to the roster (empty list: nobody). */
export function onDutyAt(data: RosterData, at: number): OnDutyEntry[] {
  const covering = expandShifts(data, at, at + 1).filter((s) => s.start <= at && at < s.end);
  return data.positions.map((p) => {
    const shifts = covering.filter((s) => s.centerId === p.centerId && s.position === p.code);
    return {
      centerId: p.centerId,
      position: p.code,
      requiredCount: p.requiredCount,
      staffIds: [...new Set(shifts.flatMap((s) => s.staffIds))],
      shifts,
    };
  });
}

/** Per center, the first shift boundary (a start or an end) strictly after `at`, within `horizonMs`. */
export function nextBoundaries(
  data: RosterData,
  at: number,
  horizonMs = 2 * DAY_MS,
): Map<string, number> {
  const best = new Map<string, number>();
  for (const s of expandShifts(data, at, at + horizonMs)) {
    for (const t of [s.start, s.end]) {
      const current = best.get(s.centerId);
      if (t > at && t <= at + horizonMs && (current === undefined || t < current))
        best.set(s.centerId, t);
    }
  }
  return best;
}

/** The first shift boundary strictly after `at` (of one center, or of any), within `horizonMs`; null if none. */
export function nextBoundary(
  data: RosterData,
  at: number,
  centerId?: string,
  horizonMs = 2 * DAY_MS,
): number | null {
  const all = nextBoundaries(data, at, horizonMs);
  if (centerId !== undefined) return all.get(centerId) ?? null;
  return all.size ? Math.min(...all.values()) : null;
}

/**
 * Intervals of [from, to) in which a center/position has fewer people on duty than it needs,
 * one record per uninterrupted stretch (a 12-hour shift lost to leave is one gap, not one per hour).
 */
export function coverageGaps(data: RosterData, from: number, to: number): Gap[] {
  const shifts = expandShifts(data, from, to);
  const gaps: Gap[] = [];
  for (const p of data.positions) {
    const mine = shifts.filter((s) => s.centerId === p.centerId && s.position === p.code);
    const cuts = new Set<number>([from, to]);
    for (const s of mine) {
      if (s.start > from && s.start < to) cuts.add(s.start);
      if (s.end > from && s.end < to) cuts.add(s.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    let open: Gap | null = null;
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const staffed = new Set(
        mine.filter((s) => s.start <= a && s.end >= b).flatMap((s) => s.staffIds),
      ).size;
      if (staffed < p.requiredCount) {
        if (open) {
          open.to = b;
          open.staffed = Math.min(open.staffed, staffed);
        } else {
          open = {
            centerId: p.centerId,
            position: p.code,
            from: a,
            to: b,
            requiredCount: p.requiredCount,
            staffed,
          };
        }
      } else if (open) {
        gaps.push(open);
        open = null;
      }
    }
    if (open) gaps.push(open);
  }
  return gaps.sort(
    (a, b) =>
      a.from - b.from ||
      a.centerId.localeCompare(b.centerId) ||
      a.position.localeCompare(b.position),
  );
}
