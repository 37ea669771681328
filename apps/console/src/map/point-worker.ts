/// <reference lib="webworker" />
import type { MapPointsResponse } from '@frontline/contracts';
import { ApiError, api } from '../api/client';
import { PointStore } from './point-store';
import type { ClusterResult } from './clusters';
import type { FromPointWorker, ToPointWorker } from './point-worker-protocol';

/**
 * The map's point store, off the main thread (see point-worker-protocol.ts): the base is
 * fetched and parsed here, and each flush posts a layer's markers and clusters for the current
 * view (a few hundred features) as a small message.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const store = new PointStore();
const loads = new Map<number, AbortController>();
let detach: (() => void) | null = null;
/** A base asked for ahead of its `load-base` (see the protocol), with when it was asked for. */
let prefetched: {
  token: string;
  unit: string;
  requestedAt: number;
  response: Promise<MapPointsResponse>;
} | null = null;

/** Wall-clock time, so the page can put the worker's timings on its own timeline. */
function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

function prefetchBase(token: string, unit: string): void {
  const response = api.mapPoints(token, unit);
  // Not awaited here: a failed prefetch is fetched again by its load-base.
  response.catch(() => undefined);
  prefetched = { token, unit, requestedAt: wallClock(), response };
}

/** The prefetched base when it is this one (else a fetch of its own), and when it was asked for. */
async function fetchBase(
  token: string,
  unit: string,
  signal: AbortSignal,
): Promise<{ response: MapPointsResponse; requestedAt: number }> {
  const early = prefetched?.token === token && prefetched.unit === unit ? prefetched : null;
  prefetched = null;
  if (early) {
    const response = await early.response.catch(() => null);
    signal.throwIfAborted();
    if (response) return { response, requestedAt: early.requestedAt };
  }
  const requestedAt = wallClock();
  return { response: await api.mapPoints(token, unit, signal), requestedAt };
}

function post(message: FromPointWorker): void {
  scope.postMessage(message);
}

function apply(data: ClusterResult['data']): void {
  post({ kind: 'points', data });
}

store.subscribe(() =>
  post({ kind: 'counts', counts: { ...store.getCounts() }, stats: { ...store.stats } }),
);

async function loadBase(request: number, token: string, unit: string): Promise<void> {
  const controller = new AbortController();
  loads.set(request, controller);
  try {
    const { response, requestedAt } = await fetchBase(token, unit, controller.signal);
    const fetchedAt = wallClock();
    store.loadBase(response);
    const storedAt = wallClock();
    const points = Object.values(response.layers).reduce((n, c) => n + c.ids.length, 0);
    post({
      kind: 'base-loaded',
      request,
      unit: response.unit,
      points,
      timings: { requestedAt, fetchedAt, storedAt },
    });
  } catch (error) {
    post({
      kind: 'base-failed',
      request,
      status: error instanceof ApiError ? error.status : 0,
      body: error instanceof ApiError ? error.body : null,
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    loads.delete(request);
  }
}

scope.onmessage = (event: MessageEvent<ToPointWorker>) => {
  const message = event.data;
  switch (message.kind) {
    case 'reset':
      store.reset(message.unit);
      break;
    case 'events':
      store.addEvents(message.events);
      break;
    case 'drill':
      store.setDrillMode(message.on);
      break;
    case 'prefetch-base':
      prefetchBase(message.token, message.unit);
      break;
    case 'load-base':
      void loadBase(message.request, message.token, message.unit);
      break;
    case 'abort-base':
      loads.get(message.request)?.abort();
      break;
    case 'attach':
      detach?.();
      detach = message.on ? store.attach({ apply }) : null;
      break;
    case 'view':
      store.setView(message.view);
      break;
    case 'locate':
      post({
        kind: 'located',
        request: message.request,
        held: store.has(message.layer, message.id),
        placement: store.placement(message.layer, message.id),
      });
      break;
  }
};
