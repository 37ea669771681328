import type { FeedEvent, MapPointLayer, MapPointsResponse } from '@frontline/contracts';
import { inUnit } from '../lib/unit-path';
import { ClusterGrid, clusterLayer, mercatorX, mercatorY } from './clusters';
import type { ClusterFeature, ClusterPoint, ClusterResult, ClusterView } from './clusters';
import { POINT_LAYERS } from './layers';
import type { PointLayerDef } from './layers';

/**
 * The map's point data, kept apart from MapLibre and React (architecture.md: "updates are
 * batched, never one setData per event"):
 * - every point lives in a Map keyed by event id, one Map per layer, so a redelivered event
 *   changes nothing;
 * - a change only marks its layer dirty; dirty layers are flushed together, at most once per
 *   `minIntervalMs` (300 ms: at most ~3 updates a second per source, whatever the event rate),
 *   and once per `busyIntervalMs` (1 s) while a sustained stream keeps every flush busy;
 * - a flush sends MapLibre the layer as it looks in the current view: markers and clusters
 *   built here (clusters.ts), a few hundred features instead of every point; a new view (the
 *   map moved or zoomed, or switched to the heatmap) is answered at once;
 * - points leave by their layer's rules (layers.ts): once older than the layer's window
 *   (`maxAgeMs`, swept every minute) and when an event removes them (`removes`, e.g. an
 *   acknowledged report, a released F1). An event names a point by its key (the event id, or
 *   on the F1 layer the contact's case id); a removed key is remembered, so a base loaded
 *   before the removal does not bring the point back.
 */

interface StoredPoint extends ClusterPoint {
  /** When its event occurred (epoch ms): it leaves the map after the layer's `maxAgeMs`. */
  at: number;
  /** What removal events name it by (layers.ts `keyOf`). */
  key: string;
}

/** Where flushed data goes: the map view's one GeoJSON source of every point layer. */
export interface PointSink {
  apply(data: ClusterResult['data']): void;
}

/** How a point is drawn in the view last sent: as its own marker, in a cluster, or not. */
export type PointPlacement =
  { kind: 'marker' } | { kind: 'cluster'; clusterId: number } | { kind: 'none' };

interface LayerData {
  def: PointLayerDef;
  points: Map<string, StoredPoint>;
  /** Points whose key is not their id: key -> id (F1: the contact's case id). */
  idByKey: Map<string, string>;
  /** No point is older than this (a lower bound): the sweep skips the layer until it passes. */
  oldest: number;
  drillCount: number;
  /** Points added or removed since the last flush. */
  changes: number;
  dirty: boolean;
  /** The clusters of the last flush (cell -> cluster_id), for `placement`. */
  cells: Map<number, number>;
  /** The layer's features in the last flush (sent again when another layer changes). */
  drawn: ClusterFeature[];
}

/**
 * A flush carrying at least this many changes means a sustained stream: the next one waits
 * `busyIntervalMs` (under load one redraw a second shows the same picture at a fraction of
 * the cost).
 */
const BUSY_CHANGES = 20;
/** How often points are checked against their layer's window. */
const SWEEP_EVERY_MS = 60_000;
/** How many removed keys are remembered (a late base must not bring them back). */
const REMOVED_LIMIT = 5000;

/**
 * What the map and its panels need of a point store: the main thread's handle on the one in
 * the point worker (point-store-client.ts).
 */
export interface MapPointSource {
  attach(sink: PointSink): () => void;
  /** The map moved, zoomed or changed mode: the layers are clustered again for it. */
  setView(view: ClusterView): void;
  /** Whether the layer holds the point, and how the view last sent draws it. */
  locate(layer: MapPointLayer, id: string): Promise<{ held: boolean; placement: PointPlacement }>;
  readonly stats: PointStoreStats;
  getCounts(): Readonly<Record<MapPointLayer, number>>;
  subscribe(listener: () => void): () => void;
}

export interface PointStoreStats {
  eventsApplied: number;
  /** Points taken off the map (aged out of their window or removed by an event). */
  pointsRemoved: number;
  /** Updates sent to the map (each one setData of every layer's markers and clusters). */
  flushes: number;
  /** Features in the last update: what MapLibre holds. */
  featuresSent: number;
  /** The last base load, as wall-clock times (epoch ms): asked for, parsed, merged. */
  base?: BaseTimings;
}

export interface BaseTimings {
  requestedAt: number;
  fetchedAt: number;
  storedAt: number;
}

export interface PointStoreOptions {
  minIntervalMs?: number;
  busyIntervalMs?: number;
  /**
   * How long the first update waits for the first base: the map's first picture is then the
   * whole one, not live events first and the base a frame later.
   */
  firstBaseWaitMs?: number;
  /** The clock the windows are measured with (replaceable in tests). */
  now?: () => number;
}

function point(
  id: string,
  lon: number,
  lat: number,
  drill: boolean,
  at: number,
  key: string,
): StoredPoint {
  return { id, lon, lat, x: mercatorX(lon), y: mercatorY(lat), drill, at, key };
}

export class PointStore {
  private readonly layers = new Map<MapPointLayer, LayerData>();
  private readonly listeners = new Set<() => void>();
  private sink: PointSink | null = null;
  private unit: string | null = null;
  private drillMode = false;
  /** The grid of the map's current view; null until the map sends it. */
  private grid: ClusterGrid | null = null;
  /** One timer for every layer: the map redraws once per flush, not once per layer. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlushAt = 0;
  private countsSnapshot: Readonly<Record<MapPointLayer, number>>;
  readonly stats: PointStoreStats = {
    eventsApplied: 0,
    pointsRemoved: 0,
    flushes: 0,
    featuresSent: 0,
  };

  /** Changes carried by the last flush (all layers). */
  private lastFlushChanges = 0;
  /** The features of the last update, as JSON. */
  private lastSent = '';
  private readonly minIntervalMs: number;
  private readonly busyIntervalMs: number;
  private readonly firstBaseWaitMs: number;
  /** Until the first base is in (or this performance.now() passes), nothing is sent. */
  private firstBaseDeadline: number | null = null;
  private readonly now: () => number;
  /** Keys removed by an event, oldest first (bounded). */
  private readonly removedIds = new Set<string>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: PointStoreOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 300;
    this.busyIntervalMs = options.busyIntervalMs ?? 1000;
    this.firstBaseWaitMs = options.firstBaseWaitMs ?? 3000;
    this.now = options.now ?? Date.now;
    for (const def of POINT_LAYERS) {
      this.layers.set(def.id, {
        def,
        points: new Map(),
        idByKey: new Map(),
        oldest: Infinity,
        drillCount: 0,
        changes: 0,
        dirty: false,
        cells: new Map(),
        drawn: [],
      });
    }
    this.countsSnapshot = this.computeCounts();
  }

  /** Starts over for another unit (drill-down): every layer is emptied. */
  reset(unit: string): void {
    if (unit === this.unit) return;
    if (this.unit === null) this.firstBaseDeadline = performance.now() + this.firstBaseWaitMs;
    this.unit = unit;
    for (const data of this.layers.values()) {
      data.points.clear();
      data.idByKey.clear();
      data.oldest = Infinity;
      data.drillCount = 0;
      this.schedule(data);
    }
  }

  get currentUnit(): string | null {
    return this.unit;
  }

  /**
   * The REST base of the unit (GET /map/points). Merged by id: live events that arrived while
   * it loaded are kept, and points already known are not duplicated. A store not yet set to a
   * unit takes the base's (a base fetched at sign-in can be in before the console says which
   * unit it shows); a base of another unit than the store's is stale and dropped.
   */
  loadBase(response: MapPointsResponse): void {
    if (this.unit === null) this.reset(response.unit);
    if (response.unit !== this.unit) return;
    const waited = this.firstBaseDeadline !== null;
    this.firstBaseDeadline = null;
    const now = this.now();
    for (const [id, data] of this.layers) {
      const columns = response.layers?.[id];
      if (!columns) continue;
      const n = columns.ids.length;
      const oldest = now - data.def.maxAgeMs;
      const drill = new Set(columns.drill);
      const keys = columns.keys;
      for (let i = 0; i < n; i++) {
        const lon = columns.lon[i];
        const lat = columns.lat[i];
        const pointId = columns.ids[i];
        if (typeof lon !== 'number' || typeof lat !== 'number') continue;
        const at = columns.occurredMs[i] ?? NaN;
        const key = keys?.[i] ?? pointId;
        if (at < oldest || this.removedIds.has(key)) continue;
        this.put(data, point(pointId, lon, lat, drill.has(i), at, key));
      }
      this.schedule(data);
    }
    // A first base waited for goes now, not when the wait would have ended.
    if (waited) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.schedule(this.layers.values().next().value as LayerData);
    }
  }

  /** Live events: those of the unit, with a location, go to the layers that accept them. */
  addEvents(events: readonly FeedEvent[]): void {
    if (this.unit === null) return;
    const now = this.now();
    for (const event of events) {
      for (const data of this.layers.values()) {
        for (const key of data.def.removes(event)) {
          this.forget(key);
          if (this.remove(data, data.idByKey.get(key) ?? key)) this.schedule(data);
        }
      }
      if (!event.location || !inUnit(event, this.unit)) continue;
      const at = Date.parse(event.occurredAt);
      for (const data of this.layers.values()) {
        if (!data.def.accepts(event) || data.points.has(event.id)) continue;
        if (at < now - data.def.maxAgeMs) continue;
        const key = data.def.keyOf(event);
        if (this.removedIds.has(key)) continue;
        const { lon, lat } = event.location;
        this.put(data, point(event.id, lon, lat, event.drill === true, at, key));
        this.stats.eventsApplied += 1;
        data.changes += 1;
        this.schedule(data);
      }
    }
  }

  /**
   * Takes off the map every point older than its layer's window (run every minute while a map
   * is attached). Returns how many left.
   */
  expire(now = this.now()): number {
    let count = 0;
    for (const data of this.layers.values()) {
      const oldest = now - data.def.maxAgeMs;
      if (data.oldest >= oldest) continue;
      let expired: string[] | null = null;
      let survivor = Infinity;
      for (const p of data.points.values()) {
        if (p.at < oldest) (expired ??= []).push(p.id);
        else if (p.at < survivor) survivor = p.at;
      }
      data.oldest = survivor;
      if (!expired) continue;
      for (const id of expired) if (this.remove(data, id)) count += 1;
      this.schedule(data);
    }
    return count;
  }

  /** Drill points are drawn only in drill mode. */
  setDrillMode(on: boolean): void {
    if (on === this.drillMode) return;
    this.drillMode = on;
    for (const data of this.layers.values()) if (data.drillCount > 0) this.schedule(data);
    this.countsSnapshot = this.computeCounts();
  }

  /** The map's view: every layer is clustered for it and sent without waiting. */
  setView(view: ClusterView): void {
    const previous = this.grid?.view;
    if (
      previous &&
      previous.zoom === view.zoom &&
      previous.mode === view.mode &&
      previous.bounds.every((edge, i) => edge === view.bounds[i])
    ) {
      return; // e.g. a moveend that moved nothing
    }
    this.grid = new ClusterGrid(view);
    for (const data of this.layers.values()) data.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.flushAll, 0);
  }

  /** The map view receives every layer now (once it has sent its view), then on changes. */
  attach(sink: PointSink): () => void {
    this.sink = sink;
    this.lastSent = ''; // a new map holds nothing yet
    for (const data of this.layers.values()) this.schedule(data);
    clearInterval(this.sweepTimer);
    this.sweepTimer = setInterval(() => this.expire(), SWEEP_EVERY_MS);
    return () => {
      if (this.sink !== sink) return;
      this.sink = null;
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    };
  }

  has(layer: MapPointLayer, id: string): boolean {
    return this.layers.get(layer)?.points.has(id) ?? false;
  }

  /** How the last flush of `layer` draws point `id`. */
  placement(layer: MapPointLayer, id: string): PointPlacement {
    const data = this.layers.get(layer);
    const p = data?.points.get(id);
    const grid = this.grid;
    if (!data || !p || !grid || data.dirty || (p.drill && !this.drillMode) || !grid.inView(p)) {
      return { kind: 'none' };
    }
    if (!grid.clustered) return { kind: 'marker' };
    const clusterId = data.cells.get(grid.cellOf(p));
    return clusterId === undefined ? { kind: 'marker' } : { kind: 'cluster', clusterId };
  }

  /** Points per layer (drill points only in drill mode), as of the last flush. */
  readonly getCounts = (): Readonly<Record<MapPointLayer, number>> => this.countsSnapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.sweepTimer);
    this.listeners.clear();
    this.sink = null;
  }

  // ---- internals ---------------------------------------------------------------------------

  private put(data: LayerData, p: StoredPoint): void {
    const previous = data.points.get(p.id);
    if (previous?.drill) data.drillCount -= 1;
    if (p.drill) data.drillCount += 1;
    data.points.set(p.id, p);
    if (p.key !== p.id) data.idByKey.set(p.key, p.id);
    if (Number.isNaN(p.at)) p.at = this.now();
    if (p.at < data.oldest) data.oldest = p.at;
  }

  /** Takes one point off a layer; the next flush sends the layer without it. */
  private remove(data: LayerData, id: string): boolean {
    const p = data.points.get(id);
    if (!p) return false;
    data.points.delete(id);
    if (p.key !== id) data.idByKey.delete(p.key);
    if (p.drill) data.drillCount -= 1;
    data.changes += 1;
    this.stats.pointsRemoved += 1;
    return true;
  }

  private forget(key: string): void {
    this.removedIds.delete(key);
    this.removedIds.add(key);
    if (this.removedIds.size > REMOVED_LIMIT) {
      const oldest = this.removedIds.values().next().value;
      if (oldest !== undefined) this.removedIds.delete(oldest);
    }
  }

  private schedule(data: LayerData): void {
    data.dirty = true;
    if (this.timer !== undefined) return;
    const interval =
      this.lastFlushChanges >= BUSY_CHANGES ? this.busyIntervalMs : this.minIntervalMs;
    const wait = Math.max(0, this.lastFlushAt + interval - performance.now());
    this.timer = setTimeout(this.flushAll, wait);
  }

  private readonly flushAll = (): void => {
    this.timer = undefined;
    const sink = this.sink;
    const grid = this.grid;
    // Stays dirty: attach() and setView() send everything.
    if (!sink || !grid) return;
    if (this.firstBaseDeadline !== null) {
      const wait = this.firstBaseDeadline - performance.now();
      if (wait > 0) {
        this.timer = setTimeout(this.flushAll, wait); // loadBase schedules sooner
        return;
      }
      this.firstBaseDeadline = null;
    }
    this.lastFlushAt = performance.now();
    let changes = 0;
    let changed = false;
    for (const [id, data] of this.layers) {
      if (!data.dirty) continue;
      data.dirty = false;
      changes += data.changes;
      data.changes = 0;
      const result = clusterLayer(id, data.points.values(), grid, this.drillMode);
      data.cells = result.cells;
      data.drawn = result.data.features;
      changed = true;
    }
    this.lastFlushChanges = changes;
    if (!changed) return;
    const features: ClusterFeature[] = [];
    for (const data of this.layers.values()) for (const f of data.drawn) features.push(f);
    // The same picture again (a resize, an event outside the view, a point added and removed):
    // no update, since each one costs MapLibre a re-tiling and a frame.
    const signature = JSON.stringify(features);
    if (signature !== this.lastSent) {
      this.lastSent = signature;
      sink.apply({ type: 'FeatureCollection', features });
      this.stats.flushes += 1;
      this.stats.featuresSent = features.length;
    }
    this.countsSnapshot = this.computeCounts();
    for (const listener of this.listeners) listener();
  };

  private computeCounts(): Record<MapPointLayer, number> {
    const counts = {} as Record<MapPointLayer, number>;
    for (const [id, data] of this.layers) {
      counts[id] = this.drillMode ? data.points.size : data.points.size - data.drillCount;
    }
    return counts;
  }
}
