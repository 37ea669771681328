import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { FeedEvent, MapPointLayer, MapPointsResponse } from '@frontline/contracts';
import { inUnit } from '../realtime/feed-state';
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
 * - a flush sends MapLibre a diff (`updateData`) of what changed since the last one, or, after
 *   a reset, a new base or a drill-mode switch, a FeatureCollection rebuilt from the Map;
 * - points leave by their layer's rules (layers.ts): once older than the layer's window
 *   (`maxAgeMs`, swept every minute) and when an event removes them (`removes`, e.g. an
 *   acknowledged report, a released F1). An event names a point by its key (the event id, or
 *   on the F1 layer the contact's case id); a removed key is remembered, so a base loaded
 *   before the removal does not bring the point back.
 */

type PointFeature = GeoJSON.Feature<GeoJSON.Point, { id: string; drill: boolean }>;

export type SourceUpdate =
  | { kind: 'full'; data: GeoJSON.FeatureCollection }
  | { kind: 'diff'; diff: GeoJSONSourceDiff }
  /** A whole layer as GeoJSON at a Blob URL (from the point worker); `release` once loaded. */
  | { kind: 'url'; url: string; release: () => void };

/** Where flushed data goes: the map view (one GeoJSON source per layer). */
export interface PointSink {
  apply(layer: MapPointLayer, update: SourceUpdate): void;
}

interface LayerData {
  def: PointLayerDef;
  features: Map<string, PointFeature>;
  /** When each point's event occurred (epoch ms): it leaves the map after `def.maxAgeMs`. */
  times: Map<string, number>;
  /**
   * Points whose key (what removal events name them by, layers.ts `keyOf`) is not their id:
   * key -> id and back (F1: the contact's case id).
   */
  idByKey: Map<string, string>;
  keyById: Map<string, string>;
  /** No point is older than this (a lower bound): the sweep skips the layer until it passes. */
  oldest: number;
  /** performance.now() of this layer's last flush. */
  flushedAt: number;
  drillCount: number;
  /** Changes since the last flush; `full` when the source must be replaced. */
  added: Map<string, PointFeature>;
  removed: Set<string>;
  full: boolean;
  dirty: boolean;
}

/** Above this many changes a whole collection is cheaper to send than a diff. */
const FULL_FLUSH_ABOVE = 5000;
/**
 * A flush carrying at least this many changes means a sustained stream: the next one waits
 * `busyIntervalMs` (every flush makes MapLibre re-cluster and redraw the layer; under load one
 * redraw a second shows the same picture at a fraction of the cost).
 */
const BUSY_CHANGES = 20;
/**
 * Under a sustained stream a big layer is re-sent less often: each update makes MapLibre's
 * worker re-cluster the whole source (50,000 F1 take 100+ ms of CPU) and the main thread take
 * in every tile again. Its interval grows by one busy interval per this many points, up to
 * BIG_LAYER_MAX_FACTOR times (F1 at 50,000: every 4 s). Without a stream nothing waits longer.
 */
const POINTS_PER_BUSY_INTERVAL = 12_500;
const BIG_LAYER_MAX_FACTOR = 4;
/** How often points are checked against their layer's window. */
const SWEEP_EVERY_MS = 60_000;
/** How many removed keys are remembered (a late base must not bring them back). */
const REMOVED_LIMIT = 5000;

/**
 * What the map and its panels need of a point store: the PointStore itself, or the main
 * thread's handle on the one in the point worker (point-store-client.ts).
 */
export interface MapPointSource {
  attach(sink: PointSink): () => void;
  has(layer: MapPointLayer, id: string): boolean;
  readonly stats: PointStoreStats;
  getCounts(): Readonly<Record<MapPointLayer, number>>;
  subscribe(listener: () => void): () => void;
}

export interface PointStoreStats {
  eventsApplied: number;
  /** Points taken off the map (aged out of their window or removed by an event). */
  pointsRemoved: number;
  flushes: number;
  fullFlushes: number;
}

export interface PointStoreOptions {
  minIntervalMs?: number;
  busyIntervalMs?: number;
  /** The clock the windows are measured with (replaceable in tests). */
  now?: () => number;
}

function feature(id: string, lon: number, lat: number, drill: boolean): PointFeature {
  return {
    type: 'Feature',
    properties: { id, drill },
    geometry: { type: 'Point', coordinates: [lon, lat] },
  };
}

export class PointStore implements MapPointSource {
  private readonly layers = new Map<MapPointLayer, LayerData>();
  private readonly listeners = new Set<() => void>();
  private sink: PointSink | null = null;
  private unit: string | null = null;
  private drillMode = false;
  /** One timer for every layer: the map redraws once per flush, not once per layer. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlushAt = 0;
  private countsSnapshot: Readonly<Record<MapPointLayer, number>>;
  readonly stats: PointStoreStats = {
    eventsApplied: 0,
    pointsRemoved: 0,
    flushes: 0,
    fullFlushes: 0,
  };

  /** Changes carried by the last flush (all layers). */
  private lastFlushChanges = 0;
  private readonly minIntervalMs: number;
  private readonly busyIntervalMs: number;
  private readonly now: () => number;
  /** Keys removed by an event, oldest first (bounded). */
  private readonly removedIds = new Set<string>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: PointStoreOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 300;
    this.busyIntervalMs = options.busyIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    for (const def of POINT_LAYERS) {
      this.layers.set(def.id, {
        def,
        features: new Map(),
        times: new Map(),
        idByKey: new Map(),
        keyById: new Map(),
        oldest: Infinity,
        flushedAt: -Infinity,
        drillCount: 0,
        added: new Map(),
        removed: new Set(),
        full: true,
        dirty: false,
      });
    }
    this.countsSnapshot = this.computeCounts();
  }

  /** Starts over for another unit (drill-down): every layer is emptied. */
  reset(unit: string): void {
    if (unit === this.unit) return;
    this.unit = unit;
    for (const data of this.layers.values()) {
      data.features.clear();
      data.times.clear();
      data.idByKey.clear();
      data.keyById.clear();
      data.oldest = Infinity;
      data.drillCount = 0;
      this.markFull(data);
    }
  }

  get currentUnit(): string | null {
    return this.unit;
  }

  /**
   * The REST base of the unit (GET /map/points). Merged by id: live events that arrived while
   * it loaded are kept, and points already known are not duplicated.
   */
  loadBase(response: MapPointsResponse): void {
    if (response.unit !== this.unit) return;
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
        this.put(data, feature(pointId, lon, lat, drill.has(i)), at, key);
      }
      this.markFull(data);
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
        if (!data.def.accepts(event) || data.features.has(event.id)) continue;
        if (at < now - data.def.maxAgeMs) continue;
        const key = data.def.keyOf(event);
        if (this.removedIds.has(key)) continue;
        const f = feature(event.id, event.location.lon, event.location.lat, event.drill === true);
        this.put(data, f, at, key);
        this.stats.eventsApplied += 1;
        if (!data.full && (this.drillMode || !f.properties.drill)) {
          data.added.set(event.id, f);
          data.removed.delete(event.id);
        }
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
      for (const [id, at] of data.times) {
        if (at < oldest) (expired ??= []).push(id);
        else if (at < survivor) survivor = at;
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
    for (const data of this.layers.values()) if (data.drillCount > 0) this.markFull(data);
  }

  /** The map view receives every layer in full now, then diffs. */
  attach(sink: PointSink): () => void {
    this.sink = sink;
    for (const data of this.layers.values()) this.markFull(data);
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
    return this.layers.get(layer)?.features.has(id) ?? false;
  }

  /** Points drawn per layer (drill points only in drill mode), as of the last flush. */
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

  private put(data: LayerData, f: PointFeature, at: number, key: string): void {
    const id = f.properties.id;
    const previous = data.features.get(id);
    if (previous?.properties.drill) data.drillCount -= 1;
    if (f.properties.drill) data.drillCount += 1;
    data.features.set(id, f);
    if (key !== id) {
      data.idByKey.set(key, id);
      data.keyById.set(id, key);
    }
    const time = Number.isNaN(at) ? this.now() : at;
    data.times.set(id, time);
    if (time < data.oldest) data.oldest = time;
  }

  /** Takes one point off a layer; the next flush removes it from the source. */
  private remove(data: LayerData, id: string): boolean {
    const f = data.features.get(id);
    if (!f) return false;
    data.features.delete(id);
    data.times.delete(id);
    const key = data.keyById.get(id);
    if (key !== undefined) {
      data.keyById.delete(id);
      data.idByKey.delete(key);
    }
    if (f.properties.drill) data.drillCount -= 1;
    this.stats.pointsRemoved += 1;
    if (!data.full) {
      // Added since the last flush: the source never had it. Otherwise, when the source
      // holds it (drill points only in drill mode), a diff removes it.
      if (!data.added.delete(id) && (this.drillMode || !f.properties.drill)) data.removed.add(id);
    }
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

  private markFull(data: LayerData): void {
    data.full = true;
    data.added.clear();
    data.removed.clear();
    this.schedule(data);
  }

  /** How long a layer waits between flushes while a sustained stream keeps them busy. */
  private layerInterval(data: LayerData): number {
    const factor = Math.min(
      BIG_LAYER_MAX_FACTOR,
      Math.max(1, Math.ceil(data.features.size / POINTS_PER_BUSY_INTERVAL)),
    );
    return this.busyIntervalMs * factor;
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
    if (!sink) return; // stays dirty; attach() sends everything
    const now = performance.now();
    this.lastFlushAt = now;
    const busy = this.lastFlushChanges >= BUSY_CHANGES;
    let changed = false;
    let changes = 0;
    let waiting: LayerData | null = null;
    for (const [id, data] of this.layers) {
      if (!data.dirty) continue;
      if (busy && !data.full && now - data.flushedAt < this.layerInterval(data)) {
        waiting = data; // stays dirty: sent by a later flush
        continue;
      }
      data.dirty = false;
      data.flushedAt = now;
      changes += data.full ? 0 : data.added.size + data.removed.size;
      changed = this.flush(sink, id, data) || changed;
    }
    // A flush that only held back big layers does not count as quiet.
    this.lastFlushChanges = waiting && changes < BUSY_CHANGES ? BUSY_CHANGES : changes;
    if (waiting) this.schedule(waiting);
    if (!changed) return;
    this.countsSnapshot = this.computeCounts();
    for (const listener of this.listeners) listener();
  };

  /** Sends one layer's changes; false when there were none. */
  private flush(sink: PointSink, id: MapPointLayer, data: LayerData): boolean {
    if (data.full || data.added.size + data.removed.size > FULL_FLUSH_ABOVE) {
      const features: PointFeature[] = [];
      for (const f of data.features.values()) {
        if (this.drillMode || !f.properties.drill) features.push(f);
      }
      sink.apply(id, { kind: 'full', data: { type: 'FeatureCollection', features } });
      this.stats.fullFlushes += 1;
    } else if (data.added.size + data.removed.size > 0) {
      sink.apply(id, {
        kind: 'diff',
        diff: { add: [...data.added.values()], remove: [...data.removed] },
      });
    } else {
      return false;
    }
    this.stats.flushes += 1;
    data.full = false;
    data.added.clear();
    data.removed.clear();
    return true;
  }

  private computeCounts(): Record<MapPointLayer, number> {
    const counts = {} as Record<MapPointLayer, number>;
    for (const [id, data] of this.layers) {
      counts[id] = this.drillMode ? data.features.size : data.features.size - data.drillCount;
    }
    return counts;
  }
}
