import { coverageGaps, expandShifts, nextBoundary, onDutyAt } from './expand';
import type {
  DutyPosition,
  Leave,
  Override,
  Rotation,
  RosterData,
  SpecialDay,
  Swap,
} from './model';
import {
  DAY_MS,
  HOUR_MS,
  localDateOf,
  localDateStart,
  localDateTimeOf,
  localToInstant,
  nextLocalDate,
} from './zone';
import { configureTimeZone, DEFAULT_TIME_ZONE } from '@frontline/time';

const C = 'center-1';
const positions: DutyPosition[] = [
  { centerId: C, code: 'commander', requiredCount: 1 },
  { centerId: C, code: 'duty-officer', requiredCount: 2 },
  { centerId: C, code: 'medical-duty', requiredCount: 1 },
];

function rotation(patch: Partial<Rotation> & Pick<Rotation, 'id' | 'position'>): Rotation {
  return {
    centerId: C,
    shiftHours: 12,
    anchor: '2021-08-30T07:00',
    staffIds: ['a', 'b'],
    perShift: 1,
    validFrom: '2021-01-01',
    validTo: null,
    specialDayId: null,
    ...patch,
  };
}

function roster(patch: Partial<RosterData> = {}): RosterData {
  return {
    positions,
    rotations: [
      rotation({ id: 'r-cmd', position: 'commander', staffIds: ['cmd-1', 'cmd-2'] }),
      rotation({
        id: 'r-duty',
        position: 'duty-officer',
        staffIds: ['d1', 'd2', 'd3', 'd4'],
        perShift: 2,
      }),
      rotation({
        id: 'r-med',
        position: 'medical-duty',
        shiftHours: 8,
        anchor: '2021-08-30T06:00',
        staffIds: ['m1', 'm2', 'm3'],
      }),
    ],
    specialDays: [],
    overrides: [],
    swaps: [],
    leave: [],
    ...patch,
  };
}

const local = (s: string) => localToInstant(s);
const view = (shifts: { start: number; end: number; staffIds: string[] }[]) =>
  shifts.map(
    (s) => `${localDateTimeOf(s.start)}..${localDateTimeOf(s.end)} ${s.staffIds.join('+')}`,
  );

describe('Asia/Ho_Chi_Minh: UTC+7, no daylight saving', () => {
  it('converts local wall-clock time with a fixed +7 offset', () => {
    expect(new Date(local('2022-02-01T00:00')).toISOString()).toBe('2022-01-31T17:00:00.000Z');
    expect(new Date(local('2024-02-29T23:30')).toISOString()).toBe('2024-02-29T16:30:00.000Z');
    expect(localDateOf(Date.parse('2024-01-31T17:00:00Z'))).toBe('2024-02-01');
    expect(localDateOf(Date.parse('2024-01-31T16:59:59Z'))).toBe('2024-01-31');
    expect(nextLocalDate('2024-02-28')).toBe('2024-02-29');
    expect(nextLocalDate('2023-02-28')).toBe('2023-03-01');
    expect(() => local('2023-02-29T07:00')).toThrow(RangeError);
  });

  it('every local day of 2020-2025 is 24 hours, and matches the platform time-zone database', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    for (let d = '2020-01-01'; d < '2026-01-01'; d = nextLocalDate(d)) {
      const start = localDateStart(d);
      expect(localDateStart(nextLocalDate(d)) - start).toBe(DAY_MS);
      if (d.endsWith('-01') || d.endsWith('-15')) {
        expect(fmt.format(new Date(start))).toBe(d);
        expect(fmt.format(new Date(start - 1))).not.toBe(d);
      }
    }
  });
});

describe('expandShifts', () => {
  it('expands 8-hour shifts across midnight and the Jan 31 -> Feb 1 month end', () => {
    const data = roster();
    const med = expandShifts(data, local('2024-01-31T00:00'), local('2024-02-01T12:00')).filter(
      (s) => s.position === 'medical-duty',
    );
    expect(view(med)).toEqual([
      `2024-01-30T22:00..2024-01-31T06:00 ${med[0].staffIds[0]}`,
      `2024-01-31T06:00..2024-01-31T14:00 ${med[1].staffIds[0]}`,
      `2024-01-31T14:00..2024-01-31T22:00 ${med[2].staffIds[0]}`,
      `2024-01-31T22:00..2024-02-01T06:00 ${med[3].staffIds[0]}`,
      `2024-02-01T06:00..2024-02-01T14:00 ${med[4].staffIds[0]}`,
    ]);
    // Three people in turn, one per shift, never two shifts in a row.
    const people = med.map((s) => s.staffIds[0]);
    expect(new Set(people.slice(0, 3))).toEqual(new Set(['m1', 'm2', 'm3']));
    expect(people[3]).toBe(people[0]);
  });

  it('keeps the 12-hour cycle through Feb 28/29 2024 and into March', () => {
    const cmd = expandShifts(roster(), local('2024-02-28T19:00'), local('2024-03-01T19:00')).filter(
      (s) => s.position === 'commander',
    );
    expect(cmd.map((s) => localDateTimeOf(s.start))).toEqual([
      '2024-02-28T19:00',
      '2024-02-29T07:00',
      '2024-02-29T19:00',
      '2024-03-01T07:00',
    ]);
    expect(cmd.map((s) => s.staffIds[0])).toEqual([
      cmd[0].staffIds[0],
      cmd[1].staffIds[0],
      cmd[0].staffIds[0],
      cmd[1].staffIds[0],
    ]);
    expect(cmd[0].staffIds[0]).not.toBe(cmd[1].staffIds[0]);
    // The anchor day 2021-08-30 07:00 is shift 0 (cmd-1); 2024-02-29 07:00 is an exact number of
    // days later (913), so an even shift: cmd-1 again.
    expect(cmd[1].staffIds).toEqual(['cmd-1']);
  });

  it('puts N people on each shift, rotating through the list', () => {
    const duty = expandShifts(
      roster(),
      local('2021-08-30T07:00'),
      local('2021-08-31T19:00'),
    ).filter((s) => s.position === 'duty-officer');
    expect(duty.map((s) => s.staffIds)).toEqual([
      ['d1', 'd2'],
      ['d3', 'd4'],
      ['d1', 'd2'],
    ]);
  });

  it('respects the validity window and hands over to the next rotation', () => {
    const data = roster({
      rotations: [
        rotation({ id: 'old', position: 'commander', staffIds: ['old'], validTo: '2024-01-31' }),
        rotation({
          id: 'new',
          position: 'commander',
          staffIds: ['new'],
          anchor: '2024-02-01T07:00',
          validFrom: '2024-02-01',
        }),
      ],
    });
    const cmd = expandShifts(data, local('2024-01-31T07:00'), local('2024-02-01T19:00'));
    expect(view(cmd)).toEqual([
      '2024-01-31T07:00..2024-01-31T19:00 old',
      '2024-01-31T19:00..2024-02-01T07:00 old',
      '2024-02-01T07:00..2024-02-01T19:00 new',
    ]);
  });

  it('Tết Nhâm Dần 2022: a special day with its own rotation replaces the regular one; "same" keeps it', () => {
    const specialDays: SpecialDay[] = [
      { id: 'tet-1', centerId: null, date: '2022-02-01', name: 'Mùng 1 Tết Nhâm Dần' },
      { id: 'tet-2', centerId: null, date: '2022-02-02', name: 'Mùng 2 Tết' },
    ];
    const data = roster({
      specialDays,
      rotations: [
        ...roster().rotations,
        // On the first day of Tết the commanders do one 24-hour shift starting at 07:00.
        rotation({
          id: 'tet-cmd',
          position: 'commander',
          shiftHours: 24,
          anchor: '2022-02-01T07:00',
          staffIds: ['cmd-tet'],
          specialDayId: 'tet-1',
        }),
      ],
    });
    const cmd = expandShifts(data, local('2022-01-31T19:00'), local('2022-02-02T19:00')).filter(
      (s) => s.position === 'commander',
    );
    expect(cmd.map((s) => [localDateTimeOf(s.start), s.staffIds[0], s.specialDay])).toEqual([
      ['2022-01-31T19:00', expect.stringMatching(/^cmd-[12]$/), null],
      ['2022-02-01T07:00', 'cmd-tet', 'Mùng 1 Tết Nhâm Dần'],
      ['2022-02-02T07:00', expect.stringMatching(/^cmd-[12]$/), 'Mùng 2 Tết'],
    ]);
    // The regular 19:00 shift of Feb 1 is gone (the 24-hour Tết shift covers it), and other
    // positions keep their regular pattern on the holiday.
    expect(
      onDutyAt(data, local('2022-02-01T23:00')).find((e) => e.position === 'commander')!.staffIds,
    ).toEqual(['cmd-tet']);
    const med = expandShifts(data, local('2022-02-01T00:00'), local('2022-02-02T00:00')).filter(
      (s) => s.position === 'medical-duty',
    );
    expect(med.map((s) => localDateTimeOf(s.start))).toEqual([
      '2022-01-31T22:00',
      '2022-02-01T06:00',
      '2022-02-01T14:00',
      '2022-02-01T22:00',
    ]);
  });

  it('applies approved swaps only, then overrides, then leave', () => {
    const day1 = local('2024-03-10T07:00');
    const night1 = local('2024-03-10T19:00');
    const base = onDutyAt(roster(), day1 + HOUR_MS).find((e) => e.position === 'commander')!
      .staffIds[0];
    const other = base === 'cmd-1' ? 'cmd-2' : 'cmd-1';
    const swap: Swap = {
      id: 's1',
      centerId: C,
      staffA: base,
      positionA: 'commander',
      shiftStartA: day1,
      staffB: other,
      positionB: 'commander',
      shiftStartB: night1,
      status: 'proposed',
      approvedAt: null,
    };
    const at = (data: RosterData, t: number, position = 'commander') =>
      onDutyAt(data, t).find((e) => e.position === position)!.staffIds;

    expect(at(roster({ swaps: [swap] }), day1 + HOUR_MS)).toEqual([base]);
    const approved = roster({ swaps: [{ ...swap, status: 'approved', approvedAt: 1 }] });
    expect(at(approved, day1 + HOUR_MS)).toEqual([other]);
    expect(at(approved, night1 + HOUR_MS)).toEqual([base]);

    const replace: Override = {
      id: 'o1',
      centerId: C,
      position: 'duty-officer',
      shiftStart: day1,
      outStaffId: 'd1',
      inStaffId: 'd9',
    };
    const day1Duty = at(roster(), day1 + HOUR_MS, 'duty-officer');
    expect(day1Duty).toContain('d1');
    expect(at(roster({ overrides: [replace] }), day1 + HOUR_MS, 'duty-officer').sort()).toEqual(
      day1Duty.map((d) => (d === 'd1' ? 'd9' : d)).sort(),
    );
    const add: Override = { ...replace, id: 'o2', outStaffId: null, inStaffId: 'extra' };
    expect(at(roster({ overrides: [add] }), day1 + HOUR_MS, 'duty-officer')).toHaveLength(3);

    const leave: Leave = {
      id: 'l1',
      staffId: 'd1',
      from: local('2024-03-10T00:00'),
      to: local('2024-03-11T00:00'),
    };
    const onLeave = onDutyAt(roster({ leave: [leave] }), day1 + HOUR_MS).find(
      (e) => e.position === 'duty-officer',
    )!;
    expect(onLeave.staffIds).not.toContain('d1');
    expect(onLeave.shifts[0].onLeave).toEqual(['d1']);
    // An override for the absent person fills the place again.
    expect(
      at(roster({ leave: [leave], overrides: [replace] }), day1 + HOUR_MS, 'duty-officer'),
    ).toHaveLength(2);
  });

  it('finds the next shift boundary', () => {
    expect(localDateTimeOf(nextBoundary(roster(), local('2024-03-10T05:30'))!)).toBe(
      '2024-03-10T06:00',
    );
    expect(localDateTimeOf(nextBoundary(roster(), local('2024-03-10T06:00'))!)).toBe(
      '2024-03-10T07:00',
    );
  });
});

describe('coverageGaps over the next 14 days', () => {
  const from = local('2024-03-01T00:00');
  const to = from + 14 * DAY_MS;

  it('none when every rotation is fully staffed', () => {
    expect(coverageGaps(roster(), from, to)).toEqual([]);
  });

  it('a shift lost to leave is exactly one gap record', () => {
    const shift = expandShifts(roster(), local('2024-03-05T07:00'), local('2024-03-05T07:01')).find(
      (s) => s.position === 'medical-duty',
    )!;
    const person = shift.staffIds[0];
    const leave: Leave = { id: 'l', staffId: person, from: shift.start, to: shift.end };
    const gaps = coverageGaps(roster({ leave: [leave] }), from, to);
    expect(gaps).toEqual([
      {
        centerId: C,
        position: 'medical-duty',
        from: shift.start,
        to: shift.end,
        requiredCount: 1,
        staffed: 0,
      },
    ]);
  });

  it('one person of a two-person shift on leave for an hour: one gap for the whole shift, one of two staffed', () => {
    const start = local('2024-03-07T19:00');
    const person = expandShifts(roster(), start, start + 1).find(
      (s) => s.position === 'duty-officer',
    )!.staffIds[1];
    const gaps = coverageGaps(
      roster({
        leave: [{ id: 'l', staffId: person, from: start + HOUR_MS, to: start + 2 * HOUR_MS }],
      }),
      from,
      to,
    );
    expect(gaps).toEqual([
      {
        centerId: C,
        position: 'duty-officer',
        from: start,
        to: start + 12 * HOUR_MS,
        requiredCount: 2,
        staffed: 1,
      },
    ]);
  });

  it('a rotation that ends leaves one open gap to the end of the window', () => {
    const data = roster({
      rotations: [rotation({ id: 'r', position: 'commander', validTo: '2024-03-10' })],
      positions: [positions[0]],
    });
    const gaps = coverageGaps(data, from, to);
    expect(gaps).toHaveLength(1);
    expect(localDateTimeOf(gaps[0].from)).toBe('2024-03-11T07:00');
    expect(gaps[0].to).toBe(to);
  });
});

// ---------------------------------------------------------------------------------------------
// Property test: onDutyAt against a deliberately naive re-implementation of the same rules, which
// walks each rotation shift by shift from its anchor and converts times with its own arithmetic.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function naiveLocal(text: string): number {
  const [date, time = '00:00'] = text.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, h, mi) - 7 * 60 * 60 * 1000;
}
const naiveDate = (t: number) => new Date(t + 7 * 60 * 60 * 1000).toISOString().slice(0, 10);

function bruteOnDuty(data: RosterData, at: number): Map<string, string[]> {
  type S = { r: Rotation; start: number; end: number; crew: string[] };
  const all: S[] = [];
  for (const r of data.rotations) {
    const len = r.shiftHours * 60 * 60 * 1000;
    const special = r.specialDayId
      ? data.specialDays.find((d) => d.id === r.specialDayId)
      : undefined;
    const lo = special ? naiveLocal(special.date) : naiveLocal(r.validFrom);
    const hi = special
      ? naiveLocal(special.date) + 86_400_000
      : r.validTo
        ? naiveLocal(r.validTo) + 86_400_000
        : at + 86_400_000 * 3;
    const anchor = naiveLocal(r.anchor);
    const crewOf = (k: number) =>
      Array.from({ length: Math.min(r.perShift, r.staffIds.length) }, (_, j) => {
        const n = r.staffIds.length;
        return r.staffIds[(((k * r.perShift + j) % n) + n) % n];
      });
    let k = 0;
    while (anchor + k * len > lo) k--;
    for (; anchor + k * len < hi; k++) {
      const start = anchor + k * len;
      if (start < lo) continue;
      all.push({ r, start, end: start + len, crew: crewOf(k) });
    }
  }
  const shifts = all.filter(
    (s) =>
      s.r.specialDayId !== null ||
      !data.rotations.some(
        (o) =>
          o.specialDayId !== null &&
          o.centerId === s.r.centerId &&
          o.position === s.r.position &&
          data.specialDays.find((d) => d.id === o.specialDayId)?.date === naiveDate(s.start),
      ),
  );
  const find = (c: string, p: string, start: number) =>
    shifts.filter((s) => s.r.centerId === c && s.r.position === p && s.start === start);
  const put = (c: string, p: string, start: number, out: string | null, inn: string) => {
    for (const s of find(c, p, start)) {
      if (out === null) {
        if (!s.crew.includes(inn)) s.crew.push(inn);
        return;
      }
      if (s.crew.includes(out)) {
        s.crew[s.crew.indexOf(out)] = inn;
        return;
      }
    }
  };
  for (const w of [...data.swaps]
    .filter((w) => w.status === 'approved')
    .sort((a, b) => a.approvedAt! - b.approvedAt!)) {
    put(w.centerId, w.positionA, w.shiftStartA, w.staffA, w.staffB);
    put(w.centerId, w.positionB, w.shiftStartB, w.staffB, w.staffA);
  }
  for (const o of data.overrides)
    put(o.centerId, o.position, o.shiftStart, o.outStaffId, o.inStaffId);
  const result = new Map<string, string[]>();
  for (const p of data.positions) {
    const people = new Set<string>();
    for (const s of shifts) {
      if (s.r.centerId !== p.centerId || s.r.position !== p.code || !(s.start <= at && at < s.end))
        continue;
      for (const id of s.crew) {
        if (!data.leave.some((l) => l.staffId === id && l.from < s.end && l.to > s.start))
          people.add(id);
      }
    }
    result.set(`${p.centerId}/${p.code}`, [...people].sort());
  }
  return result;
}

describe('onDutyAt matches a brute-force expansion at 200 random instants (seeded)', () => {
  it('agrees everywhere, across midnights, month ends, Tết, swaps, overrides and leave', () => {
    const rand = mulberry32(20220201);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
    const lo = local('2024-01-25T00:00');
    const hi = local('2024-03-05T00:00');
    const centers = ['c-tinh', 'c-mong-cai'];
    const pos: DutyPosition[] = centers.flatMap((c) => [
      { centerId: c, code: 'commander', requiredCount: 1 },
      { centerId: c, code: 'duty-officer', requiredCount: 2 },
      { centerId: c, code: 'medical-duty', requiredCount: 1 },
    ]);
    const rotations: Rotation[] = centers.flatMap((c) => [
      rotation({
        id: `${c}-cmd`,
        centerId: c,
        position: 'commander',
        staffIds: [`${c}-k1`, `${c}-k2`],
        validTo: '2024-02-14',
      }),
      rotation({
        id: `${c}-cmd2`,
        centerId: c,
        position: 'commander',
        staffIds: [`${c}-k3`, `${c}-k1`, `${c}-k2`],
        anchor: '2024-02-15T19:00',
        validFrom: '2024-02-15',
      }),
      rotation({
        id: `${c}-duty`,
        centerId: c,
        position: 'duty-officer',
        staffIds: ['1', '2', '3', '4', '5'].map((n) => `${c}-d${n}`),
        perShift: 2,
        anchor: '2023-12-31T20:00',
      }),
      rotation({
        id: `${c}-med`,
        centerId: c,
        position: 'medical-duty',
        shiftHours: 8,
        anchor: '2024-01-01T22:00',
        staffIds: ['1', '2', '3'].map((n) => `${c}-m${n}`),
      }),
      rotation({
        id: `${c}-tet`,
        centerId: c,
        position: 'duty-officer',
        shiftHours: 24,
        anchor: '2024-02-10T06:00',
        staffIds: [`${c}-d1`, `${c}-d2`],
        perShift: 2,
        specialDayId: 'tet-2024',
      }),
    ]);
    const specialDays: SpecialDay[] = [
      { id: 'tet-2024', centerId: null, date: '2024-02-10', name: 'Mùng 1 Tết Giáp Thìn' },
      { id: 'tet-2024-2', centerId: 'c-tinh', date: '2024-02-11', name: 'Mùng 2 Tết' },
    ];
    const base: RosterData = {
      positions: pos,
      rotations,
      specialDays,
      overrides: [],
      swaps: [],
      leave: [],
    };
    const shifts = expandShifts(base, lo, hi);
    const staffOf = (c: string) =>
      rotations.filter((r) => r.centerId === c).flatMap((r) => r.staffIds);
    const overrides: Override[] = Array.from({ length: 40 }, (_, i) => {
      const s = pick(shifts);
      return {
        id: `o${i}`,
        centerId: s.centerId,
        position: s.position,
        shiftStart: s.start,
        outStaffId: rand() < 0.7 ? pick(s.staffIds) : null,
        inStaffId: pick(staffOf(s.centerId)),
      };
    });
    const swaps: Swap[] = Array.from({ length: 30 }, (_, i) => {
      const a = pick(shifts);
      const b = pick(shifts.filter((s) => s.centerId === a.centerId));
      return {
        id: `w${i}`,
        centerId: a.centerId,
        staffA: pick(a.staffIds),
        positionA: a.position,
        shiftStartA: a.start,
        staffB: pick(b.staffIds),
        positionB: b.position,
        shiftStartB: b.start,
        status: pick(['proposed', 'approved', 'approved', 'rejected'] as const),
        approvedAt: i * 1000,
      };
    });
    const leave: Leave[] = Array.from({ length: 15 }, (_, i) => {
      const from = lo + Math.floor(rand() * (hi - lo));
      return {
        id: `l${i}`,
        staffId: pick(staffOf(pick(centers))),
        from,
        to: from + Math.floor(rand() * 3 * DAY_MS),
      };
    });
    const data: RosterData = { ...base, overrides, swaps, leave };

    const instants = Array.from({ length: 200 }, () => lo + Math.floor(rand() * (hi - lo)));
    // A few instants exactly on shift boundaries too.
    instants.splice(
      0,
      6,
      local('2024-02-10T06:00'),
      local('2024-02-11T06:00') - 1,
      local('2024-02-15T19:00'),
      local('2024-02-29T22:00'),
      local('2024-03-01T06:00'),
      local('2024-02-01T00:00'),
    );
    let nonEmpty = 0;
    for (const at of instants) {
      const expected = bruteOnDuty(data, at);
      const actual = new Map(
        onDutyAt(data, at).map((e) => [`${e.centerId}/${e.position}`, [...e.staffIds].sort()]),
      );
      expect([localDateTimeOf(at), actual]).toEqual([localDateTimeOf(at), expected]);
      nonEmpty += [...actual.values()].filter((v) => v.length).length;
    }
    expect(nonEmpty).toBeGreaterThan(200 * 4);
  });
});

describe('in a deployment outside Vietnam (FRONTLINE_TIMEZONE=America/Bogota, UTC-5)', () => {
  beforeAll(() => configureTimeZone('America/Bogota'));
  afterAll(() => configureTimeZone(DEFAULT_TIME_ZONE));

  it('starts the shifts at the rotation\'s local wall-clock times of that zone', () => {
    const from = Date.parse('2024-01-31T12:00:00Z');
    const shifts = expandShifts(roster(), from, from + DAY_MS).filter((s) => s.position === 'commander');
    // 07:00 and 19:00 in Bogotá are 12:00 and 00:00 UTC (in Hồ Chí Minh they would be 00:00 and 12:00).
    expect(shifts.map((s) => new Date(s.start).toISOString())).toEqual(['2024-01-31T12:00:00.000Z', '2024-02-01T00:00:00.000Z']);
    expect(view(shifts).map((line) => line.split(' ')[0])).toEqual([
      '2024-01-31T07:00..2024-01-31T19:00',
      '2024-01-31T19:00..2024-02-01T07:00',
    ]);
    expect(localDateOf(Date.parse('2024-02-01T04:59:00Z'))).toBe('2024-01-31');
  });
});
