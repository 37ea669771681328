import type { ErrorBody, FeedEvent, MapPointLayer } from '@frontline/contracts';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { PointStoreStats } from './point-store';

/**
 * Messages between the console's main thread and the point worker (point-worker.ts), which
 * holds the map's PointStore: the 55,000-point base is fetched, parsed and turned into GeoJSON
 * there, so the main thread never parses, builds or structured-clones it in one long task.
 */
export type ToPointWorker =
  | { kind: 'reset'; unit: string }
  | { kind: 'events'; events: readonly FeedEvent[] }
  | { kind: 'drill'; on: boolean }
  /** Fetch and merge the unit's base (GET /map/points); answered by `base-loaded`. */
  | { kind: 'load-base'; request: number; token: string; unit: string }
  | { kind: 'abort-base'; request: number }
  /** The map is ready for source updates (true) or gone (false). */
  | { kind: 'attach'; on: boolean };

export type FromPointWorker =
  /** A whole layer as GeoJSON text (UTF-8): the main thread hands MapLibre a Blob URL of it. */
  | { kind: 'full'; layer: MapPointLayer; json: ArrayBuffer; ids: string[] }
  | { kind: 'diff'; layer: MapPointLayer; diff: GeoJSONSourceDiff }
  | { kind: 'counts'; counts: Record<MapPointLayer, number>; stats: PointStoreStats }
  | { kind: 'base-loaded'; request: number; unit: string; points: number }
  | { kind: 'base-failed'; request: number; status: number; body: ErrorBody | null; message: string };
