import type { ErrorBody, FeedEvent, MapPointLayer } from '@frontline/contracts';
import type { ClusterResult, ClusterView } from './clusters';
import type { BaseTimings, PointPlacement, PointStoreStats } from './point-store';

/**
 * Messages between the console's main thread and the point worker (point-worker.ts), which
 * holds the map's PointStore: the 55,000-point base is fetched, parsed and clustered there, so
 * the main thread and MapLibre only ever see the markers and clusters of the current view.
 */
export type ToPointWorker =
  | { kind: 'reset'; unit: string }
  | { kind: 'events'; events: readonly FeedEvent[] }
  | { kind: 'drill'; on: boolean }
  /**
   * Start fetching a unit's base before the console asks (right after sign-in): the next
   * `load-base` for the same token and unit takes it instead of fetching again.
   */
  | { kind: 'prefetch-base'; token: string; unit: string }
  /** Fetch and merge the unit's base (GET /map/points); answered by `base-loaded`. */
  | { kind: 'load-base'; request: number; token: string; unit: string }
  | { kind: 'abort-base'; request: number }
  /** The map is ready for source updates (true) or gone (false). */
  | { kind: 'attach'; on: boolean }
  /** The map's view moved, zoomed or changed mode. */
  | { kind: 'view'; view: ClusterView }
  /** Test hooks: is the point held, and how is it drawn; answered by `located`. */
  | { kind: 'locate'; request: number; layer: MapPointLayer; id: string };

export type FromPointWorker =
  /** Every point layer as drawn in the current view: markers and clusters. */
  | { kind: 'points'; data: ClusterResult['data'] }
  | { kind: 'counts'; counts: Record<MapPointLayer, number>; stats: PointStoreStats }
  | { kind: 'base-loaded'; request: number; unit: string; points: number; timings: BaseTimings }
  | {
      kind: 'base-failed';
      request: number;
      status: number;
      body: ErrorBody | null;
      message: string;
    }
  | { kind: 'located'; request: number; held: boolean; placement: PointPlacement };
