import { afterEach, describe, expect, it } from '@jest/globals';
import type {
  FeedEvent,
  MapPointColumns,
  MapPointLayer,
  MapPointsResponse,
} from '@frontline/contracts';
import { PointStore } from './point-store';
import type { PointSink, PointStoreOptions } from './point-store';
import type { ClusterResult, ClusterView } from './clusters';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-20T05:00:00Z');

let seq = 0;
function event(
  type: string,
  payload: Record<string, unknown>,
  ageMs = 0,
  extra: Partial<FeedEvent> = {},
): FeedEvent {
  seq += 1;
  return {
    id: `e-${seq}`,
    type,
    unit: '194',
    unitPath: ['22', '194'],
    occurredAt: new Date(NOW - ageMs).toISOString(),
    location: { lat: 21.5, lon: 107.9 },
    payload,
    ...extra,
  } as unknown as FeedEvent;
}
const f0 = (ageMs = 0, extra: Partial<FeedEvent> = {}) =>
  event('case.confirmed', { caseId: 'F0-1', method: 'rt-pcr', source: 'community' }, ageMs, extra);
const f1 = (ageMs = 0, contactId = 'C1') =>
  event('contact.identified', { contactId, classification: 'F1', sourceCaseId: 'F0-1' }, ageMs);
const released = (caseId: string, classification = 'F1') =>
  event('case.released', { caseId, classification, reason: 'exit-test', automatic: true });
const reclassified = (caseId: string, from: string, to: string) =>
  event('case.reclassified', { caseId, from, to });
const report = (ageMs = 0) =>
  event('report.received', { channel: 'hotline', category: 'fever' }, ageMs);
const ack = (reportId: string) => event('report.acknowledged', { reportId });

function columns(
  points: { id: string; ageMs: number; drill?: boolean; key?: string }[],
): MapPointColumns {
  const keyed = points.some((p) => p.key !== undefined);
  return {
    ids: points.map((p) => p.id),
    lon: points.map(() => 107.9),
    lat: points.map(() => 21.5),
    occurredMs: points.map((p) => NOW - p.ageMs),
    drill: points.flatMap((p, i) => (p.drill === true ? [i] : [])),
    ...(keyed ? { keys: points.map((p) => p.key ?? p.id) } : {}),
  };
}
function base(layers: Partial<Record<MapPointLayer, MapPointColumns>>): MapPointsResponse {
  const empty = columns([]);
  return {
    unit: '22',
    generatedAt: new Date(NOW).toISOString(),
    layers: { f0: empty, f1: empty, 'positive-tests': empty, reports: empty, ...layers },
  };
}

/** A sink that keeps what MapLibre's source holds, told apart by layer. */
class FakeSources implements PointSink {
  readonly sources = new Map<MapPointLayer, ClusterResult['data']['features']>();
  /** The layers whose features changed in each update. */
  readonly updates: MapPointLayer[] = [];
  apply(data: ClusterResult['data']): void {
    const next = new Map<MapPointLayer, ClusterResult['data']['features']>();
    for (const f of data.features) {
      const layer = f.properties.layer as MapPointLayer;
      next.set(layer, [...(next.get(layer) ?? []), f]);
    }
    for (const layer of new Set([...next.keys(), ...this.sources.keys()])) {
      if (JSON.stringify(next.get(layer) ?? []) !== JSON.stringify(this.sources.get(layer) ?? []))
        this.updates.push(layer);
    }
    this.sources.clear();
    for (const [layer, features] of next) this.sources.set(layer, features);
  }
  /** The ids of the markers; clusters count as `cluster:<n>`. */
  ids(layer: MapPointLayer): string[] {
    return (this.sources.get(layer) ?? [])
      .map((f) => ('id' in f.properties ? f.properties.id : `cluster:${f.properties.point_count}`))
      .sort();
  }
}

/** Close enough that every point stands alone (all the test points share one place). */
const STREET: ClusterView = { zoom: 14, bounds: [107, 21, 109, 22], mode: 'points' };
/** The province in view: the points share a cell. */
const PROVINCE: ClusterView = { zoom: 8, bounds: [106, 20, 110, 23], mode: 'points' };

describe('PointStore: batches and removal rules of the layer registry', () => {
  let clock = NOW;
  const stores: PointStore[] = [];
  /** A store attached to a sink, for `unit` (null: not yet told which unit it shows). */
  const make = (options: PointStoreOptions = {}, unit: string | null = '22') => {
    const store = new PointStore({
      minIntervalMs: 0,
      busyIntervalMs: 0,
      firstBaseWaitMs: 0,
      now: () => clock,
      ...options,
    });
    stores.push(store);
    if (unit !== null) store.reset(unit);
    const sink = new FakeSources();
    store.attach(sink);
    store.setView(STREET);
    return { store, sink };
  };
  const flush = () => new Promise((resolve) => setTimeout(resolve, 5));
  afterEach(() => {
    for (const store of stores.splice(0)) store.dispose();
    clock = NOW;
  });

  it('sends the base, then live events once per batch', async () => {
    const { store, sink } = make();
    store.loadBase(base({ f0: columns([{ id: 'b1', ageMs: DAY }]) }));
    await flush();
    expect(sink.ids('f0')).toEqual(['b1']);
    const a = f0();
    const b = f0();
    store.addEvents([a, b]);
    store.addEvents([a]); // redelivered: nothing changes
    await flush();
    expect(sink.ids('f0')).toEqual(['b1', a.id, b.id].sort());
    // The base (with the view), then the batch: two updates of the layer, not one per event.
    expect(sink.updates.filter((layer) => layer === 'f0')).toHaveLength(2);
    expect(store.getCounts().f0).toBe(3);
  });

  it('leaves out base points and live events already older than the layer window', async () => {
    const { store, sink } = make();
    store.loadBase(
      base({
        f0: columns([
          { id: 'fresh', ageMs: 13 * DAY },
          { id: 'stale', ageMs: 15 * DAY },
        ]),
        reports: columns([
          { id: 'r-fresh', ageMs: 6 * DAY },
          { id: 'r-stale', ageMs: 8 * DAY },
        ]),
      }),
    );
    const old = f0(20 * DAY);
    store.addEvents([old]);
    await flush();
    expect(sink.ids('f0')).toEqual(['fresh']);
    expect(sink.ids('reports')).toEqual(['r-fresh']);
  });

  it('drops F0, F1 and tests after 14 days and reports after 7 days as time passes', async () => {
    const { store, sink } = make();
    const caseEvent = f0(12 * DAY);
    const contact = f1(13 * DAY);
    const rep = report(5 * DAY);
    const recent = f0(DAY);
    store.addEvents([caseEvent, contact, rep, recent]);
    await flush();
    expect(sink.ids('f0')).toEqual([caseEvent.id, recent.id].sort());
    expect(sink.ids('f1')).toEqual([contact.id]);
    expect(sink.ids('reports')).toEqual([rep.id]);

    clock = NOW + 1.5 * DAY; // the contact is 14.5 days old, the case 13.5, the report 6.5
    expect(store.expire()).toBe(1);
    await flush();
    expect(sink.ids('f1')).toEqual([]);
    expect(sink.ids('f0')).toEqual([caseEvent.id, recent.id].sort());
    expect(sink.ids('reports')).toEqual([rep.id]);

    clock = NOW + 2.5 * DAY;
    expect(store.expire()).toBe(2);
    await flush();
    expect(sink.ids('f0')).toEqual([recent.id]);
    expect(sink.ids('reports')).toEqual([]);
    expect(store.getCounts()).toEqual({ f0: 1, f1: 0, 'positive-tests': 0, reports: 0 });
  });

  it('takes an acknowledged report off the map, and a later base does not bring it back', async () => {
    const { store, sink } = make();
    const rep = report();
    store.addEvents([rep]);
    await flush();
    expect(sink.ids('reports')).toEqual([rep.id]);
    store.addEvents([ack(rep.id)]);
    await flush();
    expect(sink.ids('reports')).toEqual([]);
    expect(store.has('reports', rep.id)).toBe(false);
    // A base requested before the acknowledgement still lists the report.
    store.loadBase(base({ reports: columns([{ id: rep.id, ageMs: 0 }]) }));
    await flush();
    expect(sink.ids('reports')).toEqual([]);
    expect(store.stats.pointsRemoved).toBe(1);
  });

  it('takes an F1 off the map when its case is released or reclassified, named by the case id', async () => {
    const { store, sink } = make();
    store.loadBase(
      base({
        f1: columns([
          { id: 'ev-a', ageMs: DAY, key: 'case-a' },
          { id: 'ev-b', ageMs: DAY, key: 'case-b' },
          { id: 'ev-c', ageMs: DAY, key: 'case-c' },
        ]),
      }),
    );
    const live = f1(0, 'case-d');
    store.addEvents([live]);
    await flush();
    expect(sink.ids('f1')).toEqual(['ev-a', 'ev-b', 'ev-c', live.id].sort());
    store.addEvents([
      released('case-a'),
      reclassified('case-b', 'F1', 'F0'),
      released('case-d'),
      // Not an F1 ending: an F2 released, an F0 reclassified.
      released('case-c', 'F2'),
      reclassified('case-c', 'F0', 'cleared'),
    ]);
    await flush();
    expect(sink.ids('f1')).toEqual(['ev-c']);
    expect(store.getCounts().f1).toBe(1);
    // A base requested before the release still lists them; they stay off.
    store.loadBase(
      base({
        f1: columns([
          { id: 'ev-a', ageMs: DAY, key: 'case-a' },
          { id: 'ev-c', ageMs: DAY, key: 'case-c' },
        ]),
      }),
    );
    store.addEvents([f1(0, 'case-b')]);
    await flush();
    expect(sink.ids('f1')).toEqual(['ev-c']);
  });

  it('never draws a point added and acknowledged within one batch', async () => {
    const { store, sink } = make();
    await flush();
    const rep = report();
    store.addEvents([rep, ack(rep.id)]);
    await flush();
    expect(sink.ids('reports')).toEqual([]);
    expect(store.getCounts().reports).toBe(0);
  });

  it('clusters for the view: the province sees one cluster, a street every marker, at once', async () => {
    const { store, sink } = make();
    const many = Array.from({ length: 30_000 }, (_, i) => ({ id: `f1-${i}`, ageMs: DAY }));
    store.loadBase(base({ f1: columns(many) }));
    store.setView(PROVINCE);
    await flush();
    expect(sink.ids('f1')).toEqual(['cluster:30000']);
    expect(sink.sources.get('f1')?.[0].properties).toMatchObject({
      cluster: true,
      point_count: 30_000,
      point_count_abbreviated: '30k',
    });
    expect(store.placement('f1', 'f1-7')).toEqual({ kind: 'cluster', clusterId: 1 });
    expect(store.stats.featuresSent).toBe(1);

    store.setView(STREET);
    await flush();
    expect(sink.ids('f1')).toHaveLength(30_000);
    expect(store.placement('f1', 'f1-7')).toEqual({ kind: 'marker' });
    // Out of view: not drawn.
    store.setView({ zoom: 14, bounds: [100, 10, 101, 11], mode: 'points' });
    await flush();
    expect(sink.ids('f1')).toEqual([]);
    expect(store.placement('f1', 'f1-7')).toEqual({ kind: 'none' });
    expect(store.getCounts().f1).toBe(30_000);
  });

  it('under a sustained stream sends each layer at most once per busy interval, and catches up', async () => {
    const { sink, store } = make({ busyIntervalMs: 100 });
    await flush();
    const before = sink.updates.length;
    // 25 F1 and 25 F0 every 20 ms for 400 ms: busy after the first flush.
    for (let i = 0; i < 20; i++) {
      store.addEvents([
        ...Array.from({ length: 25 }, () => f1()),
        ...Array.from({ length: 25 }, () => f0()),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const updates = sink.updates.slice(before).filter((layer) => layer === 'f1').length;
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThanOrEqual(6);
    // Once the stream stops everything arrives.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(sink.ids('f1')).toHaveLength(500);
    expect(sink.ids('f0')).toHaveLength(500);
  });

  it('waits for the first base before the first update, and sends it as soon as it is in', async () => {
    const { store, sink } = make({ firstBaseWaitMs: 5000 });
    const live = f0();
    store.addEvents([live]);
    await flush();
    expect(sink.updates).toEqual([]);
    store.loadBase(base({ f0: columns([{ id: 'b1', ageMs: DAY }]) }));
    await flush();
    expect(sink.ids('f0')).toEqual(['b1', live.id].sort());
    expect(sink.updates).toEqual(['f0']);
  });

  it('takes a base that comes before the unit is set (fetched at sign-in), and drops one of another unit', async () => {
    const { store, sink } = make({}, null);
    store.loadBase(base({ f0: columns([{ id: 'b1', ageMs: DAY }]) }));
    store.reset('22'); // the console then names the unit the base is for: nothing is cleared
    await flush();
    expect(sink.ids('f0')).toEqual(['b1']);
    store.loadBase({ ...base({ f0: columns([{ id: 'other', ageMs: DAY }]) }), unit: '193' });
    await flush();
    expect(sink.ids('f0')).toEqual(['b1']);
  });

  it('keeps drill points out of the sources outside drill mode, and removes them in both', async () => {
    const { store, sink } = make();
    const drill = f0(DAY, { drill: true });
    store.addEvents([drill]);
    await flush();
    expect(sink.ids('f0')).toEqual([]);
    store.setDrillMode(true);
    await flush();
    expect(sink.ids('f0')).toEqual([drill.id]);
    clock = NOW + 14 * DAY;
    store.expire();
    await flush();
    expect(sink.ids('f0')).toEqual([]);
    expect(store.getCounts().f0).toBe(0);
  });
});
