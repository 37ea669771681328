import type { FeedEvent, MapPointLayer } from '@frontline/contracts';
import { MAP_POINT_LAYERS } from '@frontline/contracts';
import { ApiError } from '../api/client';
import type { ClusterView } from './clusters';
import type { MapPointSource, PointPlacement, PointSink, PointStoreStats } from './point-store';
import type { FromPointWorker, ToPointWorker } from './point-worker-protocol';

function zeroCounts(): Record<MapPointLayer, number> {
  return Object.fromEntries(MAP_POINT_LAYERS.map((l) => [l, 0])) as Record<MapPointLayer, number>;
}

function startWorker(): Worker {
  return new Worker(new URL('./point-worker.ts', import.meta.url), { type: 'module' });
}

/** A point worker started ahead of the console, taken by the first WorkerPointStore. */
let warmWorker: Worker | null = null;

/**
 * Starts the point worker while the sign-in screen shows, so that loading and compiling it is
 * done before the console asks it for the map's points.
 */
export function prewarmPointWorker(): void {
  warmWorker ??= startWorker();
}

/**
 * Right after sign-in: the point worker starts fetching the unit's points (the console's
 * biggest read) while the console renders; the store's `loadBase` for that unit takes them.
 */
export function prefetchPointBase(token: string, unit: string): void {
  const message: ToPointWorker = { kind: 'prefetch-base', token, unit };
  (warmWorker ??= startWorker()).postMessage(message);
}

/**
 * The main thread's handle on the point worker: the same calls as a PointStore (reset, live
 * events, drill mode, the map's view, attach a map), plus `loadBase`, which the worker fetches
 * and parses itself. Layers arrive as the markers and clusters of the current view, so a
 * 55,000-point base costs the main thread a few small messages instead of long tasks.
 * Counts and stats are mirrored here for React and the test hooks.
 */
export class WorkerPointStore implements MapPointSource {
  private readonly worker: Worker;
  private sink: PointSink | null = null;
  private counts: Readonly<Record<MapPointLayer, number>> = zeroCounts();
  private readonly listeners = new Set<() => void>();
  private readonly pending = new Map<
    number,
    { resolve: (points: number) => void; reject: (e: Error) => void }
  >();
  private readonly lookups = new Map<
    number,
    (answer: { held: boolean; placement: PointPlacement }) => void
  >();
  private nextRequest = 1;
  private terminating: ReturnType<typeof setTimeout> | undefined;
  stats: PointStoreStats = { eventsApplied: 0, pointsRemoved: 0, flushes: 0, featuresSent: 0 };

  constructor() {
    this.worker = warmWorker ?? startWorker();
    warmWorker = null;
    this.worker.onmessage = (event: MessageEvent<FromPointWorker>) => this.receive(event.data);
  }

  reset(unit: string): void {
    this.send({ kind: 'reset', unit });
  }

  addEvents(events: readonly FeedEvent[]): void {
    if (events.length > 0) this.send({ kind: 'events', events });
  }

  setDrillMode(on: boolean): void {
    this.send({ kind: 'drill', on });
  }

  /** Fetches the unit's base in the worker and merges it; resolves with how many points came. */
  readonly loadBase = (token: string, unit: string, signal?: AbortSignal): Promise<number> => {
    const request = this.nextRequest++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(request, { resolve, reject });
      signal?.addEventListener('abort', () => this.send({ kind: 'abort-base', request }), {
        once: true,
      });
      this.send({ kind: 'load-base', request, token, unit });
    });
  };

  attach(sink: PointSink): () => void {
    this.sink = sink;
    this.send({ kind: 'attach', on: true });
    return () => {
      if (this.sink !== sink) return;
      this.sink = null;
      this.send({ kind: 'attach', on: false });
    };
  }

  setView(view: ClusterView): void {
    this.send({ kind: 'view', view });
  }

  locate(layer: MapPointLayer, id: string): Promise<{ held: boolean; placement: PointPlacement }> {
    const request = this.nextRequest++;
    return new Promise((resolve) => {
      this.lookups.set(request, resolve);
      this.send({ kind: 'locate', request, layer, id });
    });
  }

  readonly getCounts = (): Readonly<Record<MapPointLayer, number>> => this.counts;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Stops the worker, one task later: React's development StrictMode unmounts and remounts
   * effects at once, and a message sent meanwhile keeps the worker (and its points).
   */
  dispose(): void {
    clearTimeout(this.terminating);
    this.terminating = setTimeout(() => {
      this.worker.terminate();
      this.sink = null;
      for (const { reject } of this.pending.values())
        reject(new DOMException('disposed', 'AbortError'));
      this.pending.clear();
      for (const answer of this.lookups.values())
        answer({ held: false, placement: { kind: 'none' } });
      this.lookups.clear();
    }, 0);
  }

  private send(message: ToPointWorker): void {
    clearTimeout(this.terminating);
    this.terminating = undefined;
    this.worker.postMessage(message);
  }

  private receive(message: FromPointWorker): void {
    switch (message.kind) {
      case 'points':
        this.sink?.apply(message.data);
        break;
      case 'counts':
        this.counts = message.counts;
        this.stats = { ...message.stats, base: this.stats.base };
        for (const listener of this.listeners) listener();
        break;
      case 'base-loaded':
        this.stats = { ...this.stats, base: message.timings };
        this.pending.get(message.request)?.resolve(message.points);
        this.pending.delete(message.request);
        break;
      case 'base-failed': {
        const error =
          message.status > 0
            ? new ApiError(message.status, message.body)
            : new Error(message.message);
        this.pending.get(message.request)?.reject(error);
        this.pending.delete(message.request);
        break;
      }
      case 'located':
        this.lookups.get(message.request)?.({ held: message.held, placement: message.placement });
        this.lookups.delete(message.request);
        break;
    }
  }
}
