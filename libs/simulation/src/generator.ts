import type {
  CASE_SOURCES,
  CONTACT_SETTINGS,
  EventInput,
  EventPayload,
  EventType,
} from '@frontline/contracts';
import { EVENT_TYPES } from '@frontline/contracts';
import { Agenda } from './agenda';
import { LonLat, distanceKm, offsetKm } from './geo';
import { Rng, deriveSeed } from './prng';
import {
  BORDER_UNIT_CODES,
  COASTAL_UNIT_CODES,
  Hotspot,
  HotspotKind,
  QUANG_NINH_HOTSPOTS,
} from './quang-ninh';
import { Scenario, epidemicCurve } from './scenario';
import { ReportCategory, describeReport } from './templates';
import type { SimUnit } from './units';

/**
 * The outbreak generator: a pure, seeded, endless stream of events for the public API.
 *
 * It is a small discrete-event simulation in simulated minutes. Each simulated day it plans
 * the day's new F0 (following the scenario's epidemic curve), screening tests, imported
 * cases and urgent reports; each F0 then brings its own follow-ups: 10 to 20 F1 near the
 * case, their tests (some positive: new F0 found in quarantine, who get their own F1), a few
 * F2. Events come out in simulated-time order, so a case is confirmed before its contacts
 * are traced and a contact is traced before it is tested.
 *
 * Same options, same events: ids, payloads and locations depend on the seed, scenario and
 * units only; `occurredAt` (and so `exposureDate`) also on `startMs` and `eventsPerSecond`,
 * which spread the events over the wall-clock time the run takes.
 */

const HOUR = 60;
const DAY = 24 * HOUR;
const MS_PER_DAY = 86_400_000;
/** Vietnam has one time zone and no daylight saving: UTC+7. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
/** The provincial CDC's laboratory (Trung tâm Kiểm soát bệnh tật tỉnh), as a lab code. */
const PROVINCIAL_LAB = 'CDC-QN';
/**
 * Part of every id seed: bump it whenever a change makes the same seed generate other
 * content, so the new events do not reuse ids the API already holds (it would drop them).
 */
const GENERATOR_VERSION = 1;

type CaseSource = (typeof CASE_SOURCES)[number];
type ContactSetting = (typeof CONTACT_SETTINGS)[number];
type TestPurpose = 'screening' | 'f1' | 'confirmatory';

export interface SimulationOptions {
  seed: number;
  scenario: Scenario;
  /** District-level units the run may put events in (the caller's jurisdiction). */
  units: readonly SimUnit[];
  /** Named places where cases concentrate; default: Quảng Ninh's (kept to `units`). */
  hotspots?: readonly Hotspot[];
  /** occurredAt of the first event (ms since the epoch). */
  startMs: number;
  /** Events are spaced 1/eventsPerSecond apart in occurredAt, like the run sends them. */
  eventsPerSecond: number;
  /** Marks every event as part of an exercise (drill: true); also gives other event ids. */
  drill?: { exerciseId: string };
}

export interface TestTally {
  tests: number;
  positive: number;
}

export interface SimulationStats {
  emitted: number;
  byType: Record<EventType, number>;
  f0BySource: Record<CaseSource, number>;
  contacts: { F1: number; F2: number };
  tests: Record<TestPurpose, TestTally>;
  reports: Record<ReportCategory, number>;
  /** Illegal-entry reports placed in a land-border district. */
  illegalEntryInBorderUnits: number;
  clustersStarted: number;
  /** Where the simulation is: wave (from 1) and day of the wave (from 1). */
  wave: number;
  day: number;
}

interface Place {
  name: string;
  unit: SimUnit;
  point: LonLat;
  kind: HotspotKind | 'seat';
  clusterWeight: number;
  entryWeight: number;
}

interface Cluster {
  place: Place;
  center: LonLat;
  radiusKm: number;
  cases: number;
  /** Around an entry point (imported cases): community cases do not join it. */
  imported: boolean;
}

/** An F0 or a contact: an id, where they are, and the cluster they belong to. */
interface Person {
  id: string;
  unit: SimUnit;
  point: LonLat;
  cluster: Cluster;
}

type Draft = {
  [T in EventType]: { type: T; unit: SimUnit; point: LonLat; payload: EventPayload<T> };
}[EventType];

/** Emits one event when its time comes; may put follow-ups on the agenda. */
type Action = (occurredMs: number) => Draft;

const AGE_BANDS = [
  { v: '0-17', w: 0.2 },
  { v: '18-39', w: 0.4 },
  { v: '40-59', w: 0.28 },
  { v: '60+', w: 0.12 },
] as const;
const SEXES = [
  { v: 'male', w: 0.5 },
  { v: 'female', w: 0.49 },
  { v: 'unknown', w: 0.01 },
] as const;
const SETTINGS: readonly { v: ContactSetting; w: number }[] = [
  { v: 'household', w: 0.38 },
  { v: 'workplace', w: 0.2 },
  { v: 'market', w: 0.1 },
  { v: 'vehicle', w: 0.08 },
  { v: 'gathering', w: 0.08 },
  { v: 'school', w: 0.06 },
  { v: 'healthcare', w: 0.04 },
  { v: 'other', w: 0.06 },
];
const REPORT_CATEGORIES: readonly { v: ReportCategory; w: number }[] = [
  { v: 'suspected-case', w: 0.32 },
  { v: 'quarantine-violation', w: 0.2 },
  { v: 'gathering', w: 0.16 },
  { v: 'illegal-entry', w: 0.16 },
  { v: 'other', w: 0.16 },
];
const REPORT_CHANNELS = [
  { v: 'hotline', w: 0.45, phone: 0.9 },
  { v: 'officer', w: 0.25, phone: 0 },
  { v: 'public-form', w: 0.22, phone: 0.6 },
  { v: 'integration', w: 0.08, phone: 0 },
] as const;

export class OutbreakSimulation {
  readonly stats: SimulationStats;

  private readonly rng: Rng;
  /** Event ids come from their own stream (see the constructor). */
  private readonly ids: Rng;
  private readonly agenda = new Agenda<Action>();
  private readonly curve: number[];
  private readonly places: Place[];
  private readonly entryPlaces: Place[];
  private readonly tag: string;
  private readonly quarantineF0ByDay = new Map<number, number>();
  private clusters: Cluster[] = [];
  private plannedDays = 0;
  private now = 0;
  private counters = { case: 0, contact: 0, test: 0, sample: 0, pool: 0 };

  constructor(private readonly options: SimulationOptions) {
    if (!options.units.length) throw new Error('the simulation needs at least one unit');
    if (!(options.eventsPerSecond > 0)) throw new Error('eventsPerSecond must be positive');
    this.rng = new Rng(deriveSeed(options.seed, 'content'));
    // Other content must never reuse ids (the API would take it for a re-send and drop it):
    // event ids, and the tag in case / contact / test ids, depend on everything that shapes
    // the content, and on the exercise. Same options, same ids.
    const stream = deriveSeed(
      GENERATOR_VERSION,
      options.scenario.name,
      options.units.map((u) => u.code).join(','),
      options.drill?.exerciseId ?? '',
    );
    this.ids = new Rng(deriveSeed(options.seed, 'event-ids', stream));
    this.tag = `S${options.seed}-${(stream % 36 ** 4).toString(36).toUpperCase().padStart(4, '0')}`;
    this.curve = epidemicCurve(options.scenario);
    this.places = buildPlaces(options.units, options.hotspots ?? QUANG_NINH_HOTSPOTS);
    this.entryPlaces = this.places.filter((p) => p.entryWeight > 0);
    this.stats = {
      emitted: 0,
      // Every catalogued type (the simulator only emits the submittable ones).
      byType: Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>,
      f0BySource: { community: 0, quarantine: 0, imported: 0, screening: 0, unknown: 0 },
      contacts: { F1: 0, F2: 0 },
      tests: {
        screening: { tests: 0, positive: 0 },
        f1: { tests: 0, positive: 0 },
        confirmatory: { tests: 0, positive: 0 },
      },
      reports: {
        'suspected-case': 0,
        'illegal-entry': 0,
        'quarantine-violation': 0,
        gathering: 0,
        other: 0,
      },
      illegalEntryInBorderUnits: 0,
      clustersStarted: 0,
      wave: 1,
      day: 1,
    };
  }

  /** The next event of the stream (the stream never ends: waves follow each other). */
  next(): EventInput {
    while (!this.agenda.size || this.agenda.peek()!.at >= this.plannedDays * DAY) {
      this.planDay(this.plannedDays++);
    }
    const item = this.agenda.pop()!;
    this.now = item.at;
    const day = Math.floor(item.at / DAY);
    this.stats.wave = Math.floor(day / this.options.scenario.days) + 1;
    this.stats.day = (day % this.options.scenario.days) + 1;

    const index = this.stats.emitted++;
    const occurredMs =
      this.options.startMs + Math.floor((index * 1000) / this.options.eventsPerSecond);
    const draft = item.value(occurredMs);
    this.stats.byType[draft.type]++;
    const drill = this.options.drill;
    return {
      id: this.ids.uuid(),
      type: draft.type,
      unit: draft.unit.code,
      occurredAt: new Date(occurredMs).toISOString(),
      location: { lat: round5(draft.point[1]), lon: round5(draft.point[0]) },
      ...(drill ? { drill: true, exerciseId: drill.exerciseId } : {}),
      payload: draft.payload,
    } as EventInput;
  }

  take(count: number): EventInput[] {
    const events: EventInput[] = [];
    for (let i = 0; i < count; i++) events.push(this.next());
    return events;
  }

  // ---- one simulated day ------------------------------------------------------------------

  private planDay(day: number): void {
    const { scenario } = this.options;
    const dayOfWave = day % scenario.days;
    if (dayOfWave === 0) this.clusters = []; // a new wave starts somewhere else
    const start = day * DAY;
    const target = this.rng.round(this.curve[dayOfWave]);
    const fromQuarantine = this.quarantineF0ByDay.get(day) ?? 0;
    this.quarantineF0ByDay.delete(day - 2); // kept a little: late follow-ups still count
    let seeds = Math.max(0, target - fromQuarantine);
    if (dayOfWave === 0) seeds = Math.max(1, seeds);

    let screeningPositives = 0;
    const { imported, screening } = scenario.seedSources;
    const total = scenario.seedSources.imported + screening + scenario.seedSources.community;
    for (let i = 0; i < seeds; i++) {
      const r = this.rng.float() * total;
      if (r < imported && this.entryPlaces.length) {
        this.agenda.add(start + this.rng.between(0, DAY), () => this.importedCase());
      } else if (r < imported + screening) {
        screeningPositives++;
      } else {
        this.agenda.add(start + this.rng.between(7 * HOUR, 21 * HOUR), () => this.communityCase());
      }
    }

    // Screening: exactly `screeningPositives` positives among the day's samples.
    const screeningTests = Math.max(
      scenario.screeningFloorPerDay,
      Math.round(screeningPositives / scenario.screeningPositivity),
    );
    let positivesLeft = screeningPositives;
    for (let i = 0; i < screeningTests; i++) {
      const positive = this.rng.float() * (screeningTests - i) < positivesLeft;
      if (positive) positivesLeft--;
      this.agenda.add(start + this.rng.between(6 * HOUR, 22 * HOUR), () =>
        this.screeningTest(positive),
      );
    }

    const reports = this.rng.round(scenario.reportsPerDay + scenario.reportsPerF0 * target);
    for (let i = 0; i < reports; i++) {
      const at = this.rng.chance(0.8)
        ? this.rng.between(7 * HOUR, 22 * HOUR)
        : this.rng.between(0, DAY);
      this.agenda.add(start + at, () => this.report());
    }
  }

  // ---- cases ------------------------------------------------------------------------------

  /** A symptomatic person tests positive at a clinic, then is confirmed. */
  private communityCase(): Draft {
    const cluster = this.chooseCluster();
    const f0 = this.newCase(
      cluster,
      this.scatter(cluster.place.unit, cluster.center, cluster.radiusKm / 2, cluster.radiusKm),
    );
    const source: CaseSource = this.rng.chance(0.25) ? 'unknown' : 'community';
    this.later(this.rng.between(30, 3 * HOUR), () => this.caseConfirmed(f0, source));
    return this.testDraft('confirmatory', f0, { method: 'rt-pcr', positive: true, caseId: f0.id });
  }

  /** Someone arriving by a border gate, the airport, a port or the western road. */
  private importedCase(): Draft {
    const place = this.rng.weighted(this.entryPlaces, (p) => p.entryWeight);
    let cluster = this.clusters.find((c) => c.imported && c.place === place);
    if (!cluster) cluster = this.startCluster(place, 0.5, true);
    const f0 = this.newCase(cluster, this.scatter(place.unit, place.point, 0.4, 1));
    this.later(this.rng.between(60, 4 * HOUR), () => this.caseConfirmed(f0, 'imported'));
    return this.testDraft('confirmatory', f0, { method: 'rt-pcr', positive: true, caseId: f0.id });
  }

  /** A screening sample: pooled RT-PCR or a rapid antigen test; a positive leads to a case. */
  private screeningTest(positive: boolean): Draft {
    const pooled = this.rng.chance(0.6);
    const poolSize = pooled ? this.rng.pick([5, 10]) : undefined;
    let site: Person;
    if (positive) {
      const cluster = this.chooseCluster();
      site = this.newCase(
        cluster,
        this.scatter(cluster.place.unit, cluster.center, cluster.radiusKm / 2, cluster.radiusKm),
      );
    } else {
      const place = this.screeningPlace();
      site = {
        id: '',
        unit: place.unit,
        point: this.scatter(place.unit, place.point, 1, 3),
        cluster: this.anyCluster(place),
      };
    }
    const draft = this.testDraft('screening', site, {
      method: pooled ? 'rt-pcr' : 'antigen',
      positive,
      pool: poolSize
        ? { id: `GOP-${this.tag}-${pad(++this.counters.pool)}`, size: poolSize }
        : undefined,
    });
    if (positive) {
      const f0 = site;
      if (poolSize) {
        // Everyone in the pool is re-tested alone; one of them is the case.
        const positiveAt = this.rng.int(0, poolSize - 1);
        const at = this.rng.between(3 * HOUR, 6 * HOUR);
        for (let i = 0; i < poolSize; i++) {
          const isCase = i === positiveAt;
          const member = isCase
            ? f0
            : { ...f0, id: '', point: this.near(f0.unit, f0.point, 0.2, 0.5) };
          this.later(at + i, () =>
            this.testDraft('confirmatory', member, {
              method: 'rt-pcr',
              positive: isCase,
              caseId: isCase ? f0.id : undefined,
            }),
          );
        }
        this.later(at + poolSize + this.rng.between(30, 2 * HOUR), () =>
          this.caseConfirmed(f0, 'screening'),
        );
      } else {
        const at = this.rng.between(60, 3 * HOUR);
        this.later(at, () =>
          this.testDraft('confirmatory', f0, { method: 'rt-pcr', positive: true, caseId: f0.id }),
        );
        this.later(at + this.rng.between(30, 2 * HOUR), () => this.caseConfirmed(f0, 'screening'));
      }
    }
    return draft;
  }

  /** An F1 whose test came back positive: confirmed where they are quarantined. */
  private quarantineCase(f1: Person): Draft {
    const f0 = this.newCase(f1.cluster, f1.point, f1.unit);
    return this.caseConfirmed(f0, 'quarantine', f1.id);
  }

  private caseConfirmed(f0: Person, source: CaseSource, previousCaseId?: string): Draft {
    this.stats.f0BySource[source]++;
    const [min, max] = this.options.scenario.f1PerF0;
    const contacts = this.rng.int(min, max);
    for (let i = 0; i < contacts; i++) {
      this.later(this.rng.between(HOUR, 30 * HOUR), (ms) => this.contactIdentified(ms, f0, 'F1'));
    }
    return {
      type: 'case.confirmed',
      unit: f0.unit,
      point: f0.point,
      payload: {
        caseId: f0.id,
        method: 'rt-pcr',
        source,
        ...(previousCaseId ? { previousCaseId } : {}),
        ...(source !== 'imported' && this.rng.chance(0.02) ? { repositive: true } : {}),
        ageBand: this.rng.weighted(AGE_BANDS, (a) => a.w).v,
        sex: this.rng.weighted(SEXES, (s) => s.w).v,
      },
    };
  }

  // ---- contacts and their tests -----------------------------------------------------------

  private contactIdentified(
    occurredMs: number,
    source: Person,
    classification: 'F1' | 'F2',
  ): Draft {
    const { scenario } = this.options;
    const setting = this.rng.weighted(SETTINGS, (s) => s.w).v;
    const point =
      setting === 'household'
        ? this.near(source.unit, source.point, 0.03, 0.1)
        : this.near(source.unit, source.point, 0.4, 1);
    const contact: Person = {
      id: `${classification}-${this.tag}-${pad(++this.counters.contact)}`,
      unit: source.unit,
      point,
      cluster: source.cluster,
    };
    this.stats.contacts[classification]++;

    if (classification === 'F1') {
      // First test within a day or so; a negative may get an exit test a week later.
      const first = this.rng.between(4 * HOUR, 28 * HOUR);
      let positive =
        this.rng.chance(scenario.f1Positivity) && this.quarantineRoom(this.now + first);
      this.scheduleContactTest(contact, first, positive);
      if (!positive && this.rng.chance(scenario.f1ExitTestChance)) {
        const exit = this.rng.between(6 * DAY, 7 * DAY);
        positive =
          this.rng.chance(scenario.f1Positivity / 3) && this.quarantineRoom(this.now + exit);
        this.scheduleContactTest(contact, exit, positive);
      }
      if (this.rng.chance(scenario.f2Chance)) {
        const f2 = this.rng.int(1, 3);
        for (let i = 0; i < f2; i++) {
          this.later(this.rng.between(2 * HOUR, 24 * HOUR), (ms) =>
            this.contactIdentified(ms, contact, 'F2'),
          );
        }
      }
    }

    const exposureDays = setting === 'household' ? this.rng.int(0, 3) : this.rng.int(1, 5);
    return {
      type: 'contact.identified',
      unit: contact.unit,
      point: contact.point,
      payload: {
        contactId: contact.id,
        classification,
        sourceCaseId: source.id,
        exposureDate: vietnamDate(occurredMs - exposureDays * MS_PER_DAY),
        setting,
      },
    };
  }

  private scheduleContactTest(f1: Person, after: number, positive: boolean): void {
    this.later(after, () =>
      this.testDraft('f1', f1, { method: 'rt-pcr', positive, caseId: f1.id }),
    );
    if (positive) {
      const confirmAfter = after + this.rng.between(HOUR, 4 * HOUR);
      const day = Math.floor((this.now + confirmAfter) / DAY);
      this.quarantineF0ByDay.set(day, (this.quarantineF0ByDay.get(day) ?? 0) + 1);
      this.later(confirmAfter, () => this.quarantineCase(f1));
    }
  }

  /** Whether one more F0 from quarantine fits the curve on that day (keeps waves bounded). */
  private quarantineRoom(at: number): boolean {
    const day = Math.floor(at / DAY);
    const expected = this.curve[day % this.options.scenario.days];
    return (this.quarantineF0ByDay.get(day) ?? 0) < Math.max(1, Math.ceil(expected));
  }

  private testDraft(
    purpose: TestPurpose,
    person: Person,
    t: {
      method: 'rt-pcr' | 'antigen';
      positive: boolean;
      caseId?: string;
      pool?: { id: string; size: number };
    },
  ): Draft {
    const tally = this.stats.tests[purpose];
    tally.tests++;
    if (t.positive) tally.positive++;
    const n = ++this.counters.test;
    const labCode =
      t.method === 'rt-pcr'
        ? this.rng.chance(0.6)
          ? PROVINCIAL_LAB
          : `TTYT-${person.unit.code}`
        : undefined;
    return {
      type: 'test.resulted',
      unit: person.unit,
      point: person.point,
      payload: {
        testId: `XN-${this.tag}-${pad(n)}`,
        sampleId: `MAU-${this.tag}-${pad(++this.counters.sample)}`,
        ...(t.pool ? { poolId: t.pool.id, poolSize: t.pool.size } : {}),
        method: t.method,
        result: t.positive ? 'positive' : 'negative',
        ...(t.caseId ? { caseId: t.caseId } : {}),
        ...(labCode ? { labCode } : {}),
      },
    };
  }

  // ---- urgent reports ---------------------------------------------------------------------

  private report(): Draft {
    const category = this.rng.weighted(REPORT_CATEGORIES, (c) => c.w).v;
    const channel = this.rng.weighted(REPORT_CHANNELS, (c) => c.w);
    let place: Place;
    let point: LonLat;
    let entry: 'border' | 'sea' | 'inland' | undefined;
    let label: string | undefined;
    if (category === 'illegal-entry') {
      ({ place, point, entry } = this.illegalEntrySite());
      if (place.kind === 'seat' && entry !== 'inland') {
        label = `${entry === 'sea' ? 'bờ biển' : 'khu vực biên giới'} ${place.unit.name}`;
      }
      if (BORDER_UNIT_CODES.includes(place.unit.code)) this.stats.illegalEntryInBorderUnits++;
    } else if (
      (category === 'suspected-case' || category === 'quarantine-violation') &&
      this.clusters.length &&
      this.rng.chance(0.7)
    ) {
      const cluster = this.rng.weighted(this.clusters, (c) => c.cases + 1);
      place = cluster.place;
      point = this.scatter(
        place.unit,
        cluster.center,
        cluster.radiusKm / 2,
        cluster.radiusKm + 0.5,
      );
    } else {
      place = this.rng.weighted(this.places, (p) => p.clusterWeight);
      point = this.scatter(place.unit, place.point, 1, 2.5);
    }
    this.stats.reports[category]++;
    const description = describeReport(this.rng, category, {
      place: label ?? place.name,
      district: place.unit.name,
      entry,
    });
    const phone = this.rng.chance(channel.phone)
      ? `0900 000 ${String(this.rng.int(0, 999)).padStart(3, '0')}`
      : undefined;
    return {
      type: 'report.received',
      unit: place.unit,
      point,
      payload: {
        channel: channel.v,
        category,
        description,
        ...(phone ? { callerPhone: phone } : {}),
      },
    };
  }

  /** Mostly along the land border (gates, trails nearby); sometimes a landing on the coast. */
  private illegalEntrySite(): { place: Place; point: LonLat; entry: 'border' | 'sea' | 'inland' } {
    const border = this.places.filter((p) => BORDER_UNIT_CODES.includes(p.unit.code));
    const coast = this.places.filter(
      (p) => COASTAL_UNIT_CODES.includes(p.unit.code) && !BORDER_UNIT_CODES.includes(p.unit.code),
    );
    if (border.length && (!coast.length || this.rng.chance(0.8))) {
      const gates = border.filter((p) => p.kind === 'border-gate');
      const place =
        gates.length && this.rng.chance(0.7)
          ? this.rng.weighted(gates, (p) => p.entryWeight)
          : this.rng.pick(border);
      return { place, point: this.scatter(place.unit, place.point, 2.5, 6), entry: 'border' };
    }
    const pool = coast.length ? coast : this.places;
    const place = this.rng.weighted(pool, (p) => p.clusterWeight + p.entryWeight);
    return {
      place,
      point: this.scatter(place.unit, place.point, 2, 5),
      entry: coast.length ? 'sea' : 'inland',
    };
  }

  // ---- places and clusters ----------------------------------------------------------------

  /** Join a cluster (bigger ones attract more) or start a new one at a weighted hotspot. */
  private chooseCluster(): Cluster {
    const target = this.options.scenario.clusters;
    const community = this.clusters.filter((c) => !c.imported);
    const startNew =
      community.length === 0 ||
      (community.length < target && this.rng.chance(0.5)) ||
      this.rng.chance(0.03);
    if (startNew) {
      const place = this.rng.weighted(this.places, (p) => p.clusterWeight);
      return this.startCluster(place, 2);
    }
    return this.rng.weighted(community, (c) => c.cases + 2);
  }

  private startCluster(place: Place, spreadKm: number, imported = false): Cluster {
    const cluster: Cluster = {
      place,
      center: this.scatter(place.unit, place.point, spreadKm / 2, spreadKm),
      radiusKm: this.rng.between(1, 3),
      cases: 0,
      imported,
    };
    this.clusters.push(cluster);
    this.stats.clustersStarted++;
    return cluster;
  }

  /** Screening goes where the cases are (ring-fenced areas) and where people move. */
  private screeningPlace(): Place {
    if (this.clusters.length && this.rng.chance(0.5)) return this.rng.pick(this.clusters).place;
    return this.rng.weighted(this.places, (p) => p.clusterWeight + p.entryWeight);
  }

  /** The cluster of a place if it has one (a negative screening sample belongs nowhere). */
  private anyCluster(place: Place): Cluster {
    return (
      this.clusters.find((c) => c.place === place) ?? {
        place,
        center: place.point,
        radiusKm: 1,
        cases: 0,
        imported: false,
      }
    );
  }

  private newCase(cluster: Cluster, point: LonLat, unit: SimUnit = cluster.place.unit): Person {
    cluster.cases++;
    return { id: `F0-${this.tag}-${pad(++this.counters.case)}`, unit, point, cluster };
  }

  /** A point around `center` (normal, sigma km, at most max km away) inside the unit's land. */
  private scatter(unit: SimUnit, center: LonLat, sigmaKm: number, maxKm: number): LonLat {
    for (let attempt = 0; attempt < 12; attempt++) {
      const dx = this.rng.normal() * sigmaKm;
      const dy = this.rng.normal() * sigmaKm;
      if (Math.hypot(dx, dy) > maxKm) continue;
      const point = roundPoint(offsetKm(center, dx, dy)); // rounded first: stays inside once sent
      if (!unit.area || unit.area.contains(point)) return point;
    }
    return center;
  }

  /** Like scatter, for people near a case (F1 within about a kilometre). */
  private near(unit: SimUnit, center: LonLat, sigmaKm: number, maxKm: number): LonLat {
    const point = this.scatter(unit, center, sigmaKm, maxKm);
    return distanceKm(point, center) <= maxKm ? point : center;
  }

  private later(afterMinutes: number, action: Action): void {
    this.agenda.add(this.now + afterMinutes, action);
  }
}

/** Hotspots of the allowed units plus every unit's seat, each moved into its unit's land. */
function buildPlaces(units: readonly SimUnit[], hotspots: readonly Hotspot[]): Place[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const inside = (unit: SimUnit, point: LonLat): LonLat =>
    unit.area?.nearestInside(point, 10, roundPoint) ?? roundPoint(point);
  const places: Place[] = units.map((unit) => ({
    name: `trung tâm ${unit.name}`,
    unit,
    point: inside(unit, unit.seat),
    kind: 'seat',
    clusterWeight: Math.max(0.05, unit.population / 100_000),
    entryWeight: 0,
  }));
  for (const h of hotspots) {
    const unit = byCode.get(h.unitCode);
    if (!unit) continue;
    places.push({
      name: h.name,
      unit,
      point: inside(unit, [h.lon, h.lat]),
      kind: h.kind,
      clusterWeight: h.clusterWeight,
      entryWeight: h.entryWeight,
    });
  }
  return places;
}

/** About a metre: plenty for a map, and the same on every machine. */
function round5(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

function roundPoint([lon, lat]: LonLat): LonLat {
  return [round5(lon), round5(lat)];
}

function pad(n: number): string {
  return String(n).padStart(6, '0');
}

/** YYYY-MM-DD in Vietnam (UTC+7). */
export function vietnamDate(ms: number): string {
  return new Date(ms + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}
