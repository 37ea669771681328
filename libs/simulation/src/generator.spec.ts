import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BORDER_UNIT_CODES, QUANG_NINH_HOTSPOTS } from './quang-ninh';
import { parseEventInput, type EventInput } from '@frontline/contracts';
import { OutbreakSimulation, SimulationOptions } from './generator';
import { distanceKm, LonLat } from './geo';
import { SCENARIOS } from './scenario';
import { SimUnit, unitsFromGeoJson } from './units';

const SEED_FILE = resolve(__dirname, '../../database/src/seeds/data/quang-ninh.units.geojson');
const UNITS: SimUnit[] = unitsFromGeoJson(JSON.parse(readFileSync(SEED_FILE, 'utf8')));
const START = Date.parse('2021-08-30T01:00:00Z');

function simulate(
  count: number,
  overrides: Partial<SimulationOptions> = {},
): { events: EventInput[]; sim: OutbreakSimulation } {
  const sim = new OutbreakSimulation({
    seed: 7,
    scenario: SCENARIOS.default,
    units: UNITS,
    startMs: START,
    eventsPerSecond: 100,
    ...overrides,
  });
  return { events: sim.take(count), sim };
}

const pointOf = (e: EventInput): LonLat => [e.location!.lon, e.location!.lat];
const payload = (e: EventInput) => e.payload as Record<string, unknown>;

describe('OutbreakSimulation', () => {
  // One long stream, shared by the checks that only read it.
  const { events, sim } = simulate(40_000);

  it('reads the 13 district-level units of the seed, with their shapes', () => {
    expect(UNITS).toHaveLength(13);
    expect(UNITS.every((u) => u.area)).toBe(true);
  });

  it('repeats itself exactly for the same options, and only then', () => {
    const again = simulate(3000).events;
    expect(again).toEqual(events.slice(0, 3000));
    const otherSeed = simulate(3000, { seed: 8 }).events;
    expect(otherSeed.map((e) => e.id)).not.toEqual(again.map((e) => e.id));
    const otherScenario = simulate(3000, { scenario: SCENARIOS['5000'] }).events;
    expect(otherScenario[0].id).not.toBe(again[0].id);
    // occurredAt follows the rate and start; ids and payloads do not.
    const faster = simulate(3000, { eventsPerSecond: 2000, startMs: START + 1 }).events;
    expect(faster.map((e) => e.id)).toEqual(again.map((e) => e.id));
    expect(faster[10].occurredAt).not.toBe(again[10].occurredAt);
  });

  it('gives unique ids, version-4 UUIDs', () => {
    const ids = new Set(events.map((e) => e.id));
    expect(ids.size).toBe(events.length);
    for (const id of [...ids].slice(0, 100))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('produces only events the API contracts accept', () => {
    const problems = events
      .map((e, i) => parseEventInput(e, `#${i}`))
      .flatMap((r) => (r.ok ? [] : r.issues.map((x) => `${x.path}: ${x.message}`)));
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('spaces occurredAt by the rate, from the start', () => {
    expect(events[0].occurredAt).toBe(new Date(START).toISOString());
    expect(Date.parse(events[1000].occurredAt) - START).toBe(10_000);
  });

  it('puts every point inside its own district', () => {
    const byCode = new Map(UNITS.map((u) => [u.code, u]));
    const outside = events.filter((e) => !byCode.get(e.unit)!.area!.contains(pointOf(e)));
    expect(outside).toEqual([]);
  });

  it('traces 10 to 20 F1 per F0, near the case, after it is confirmed', () => {
    const cases = new Map<string, EventInput>();
    const f1 = new Map<string, EventInput[]>();
    for (const e of events) {
      const p = payload(e);
      if (e.type === 'case.confirmed') cases.set(p.caseId as string, e);
      if (e.type === 'contact.identified' && p.classification === 'F1') {
        const source = p.sourceCaseId as string;
        expect(cases.has(source)).toBe(true); // the case came first
        f1.set(source, [...(f1.get(source) ?? []), e]);
      }
    }
    const settled = [...cases.keys()].slice(0, Math.floor(cases.size / 2)); // all their F1 are out
    expect(settled.length).toBeGreaterThan(50);
    for (const caseId of settled) {
      const contacts = f1.get(caseId) ?? [];
      expect(contacts.length).toBeGreaterThanOrEqual(10);
      expect(contacts.length).toBeLessThanOrEqual(20);
      const f0 = cases.get(caseId)!;
      for (const c of contacts) {
        expect(c.unit).toBe(f0.unit);
        expect(distanceKm(pointOf(c), pointOf(f0))).toBeLessThanOrEqual(1.05);
      }
    }
  });

  it('confirms an F0 from quarantine where its F1 was', () => {
    const community = events.filter(
      (e) => e.type === 'case.confirmed' && payload(e).source === 'quarantine',
    );
    // A quarantine case is where its F1 was: within ~1 km of the F0 it came from.
    const byContact = new Map(
      events
        .filter((e) => e.type === 'contact.identified')
        .map((e) => [payload(e).contactId as string, e] as const),
    );
    for (const e of community.slice(0, 200)) {
      const contact = byContact.get(payload(e).previousCaseId as string)!;
      expect(contact).toBeDefined();
      expect(distanceKm(pointOf(e), pointOf(contact))).toBeLessThan(0.01);
    }
  });

  it('has a plausible test positivity: low in screening, higher among F1', () => {
    const { screening, f1 } = sim.stats.tests;
    const screeningRate = screening.positive / screening.tests;
    const f1Rate = f1.positive / f1.tests;
    expect(screeningRate).toBeGreaterThan(0.005);
    expect(screeningRate).toBeLessThan(0.05);
    expect(f1Rate).toBeGreaterThan(0.02);
    expect(f1Rate).toBeLessThan(0.1);
    expect(f1Rate).toBeGreaterThan(screeningRate);
    // The stats match the events.
    const tests = events.filter((e) => e.type === 'test.resulted');
    expect(tests).toHaveLength(screening.tests + f1.tests + sim.stats.tests.confirmatory.tests);
  });

  it('confirms every positive F1 as an F0 from quarantine', () => {
    const positiveF1 = new Set(
      events
        .filter(
          (e) =>
            e.type === 'test.resulted' &&
            payload(e).result === 'positive' &&
            String(payload(e).caseId).startsWith('F1-'),
        )
        .map((e) => payload(e).caseId as string),
    );
    const fromQuarantine = new Set(
      events
        .filter((e) => e.type === 'case.confirmed' && payload(e).source === 'quarantine')
        .map((e) => payload(e).previousCaseId),
    );
    const confirmed = [...positiveF1].filter((id) => fromQuarantine.has(id)).length;
    expect(confirmed / positiveF1.size).toBeGreaterThan(0.95); // the last few may still be pending
  });

  it('sends urgent reports of every category, illegal entry mostly at the land border', () => {
    const reports = events.filter((e) => e.type === 'report.received');
    const categories = new Set(reports.map((r) => payload(r).category));
    expect([...categories].sort()).toEqual([
      'gathering',
      'illegal-entry',
      'other',
      'quarantine-violation',
      'suspected-case',
    ]);
    const illegal = reports.filter((r) => payload(r).category === 'illegal-entry');
    const atBorder = illegal.filter((r) => BORDER_UNIT_CODES.includes(r.unit)).length;
    expect(atBorder / illegal.length).toBeGreaterThan(0.6);
    for (const r of reports) {
      const p = payload(r);
      expect(typeof p.description).toBe('string');
      expect(p.description).not.toMatch(/\{\w+\}/); // every slot filled
      if (p.callerPhone !== undefined) expect(p.callerPhone).toMatch(/^0900 000 \d{3}$/);
    }
  });

  it('puts most clusters in the cities and at the entry points', () => {
    const cities = new Set(['193', '195', '196', '194', '205']);
    const f0 = events.filter((e) => e.type === 'case.confirmed');
    const inCities = f0.filter((e) => cities.has(e.unit)).length;
    expect(inCities / f0.length).toBeGreaterThan(0.5);
  });

  it('stays in the units it is given', () => {
    const onlyHaLong = simulate(5000, { units: UNITS.filter((u) => u.code === '193') }).events;
    expect(new Set(onlyHaLong.map((e) => e.unit))).toEqual(new Set(['193']));
  });

  it('marks drills, with ids of their own', () => {
    const drill = simulate(500, { drill: { exerciseId: 'ex-1' } }).events;
    expect(drill.every((e) => e.drill === true && e.exerciseId === 'ex-1')).toBe(true);
    expect(drill[0].id).not.toBe(events[0].id);
    expect(events.some((e) => 'drill' in e)).toBe(false);
  });

  it('grows the F0 share with the scenario', () => {
    const share = (name: keyof typeof SCENARIOS) => {
      const s = simulate(60_000, { scenario: SCENARIOS[name] }).sim.stats;
      return s.byType['case.confirmed'] / s.emitted;
    };
    expect(share('5000')).toBeGreaterThan(share('500'));
  });

  it('places every named hotspot in a seed district', () => {
    const codes = new Set(UNITS.map((u) => u.code));
    for (const h of QUANG_NINH_HOTSPOTS) expect(codes.has(h.unitCode)).toBe(true);
  });
});
