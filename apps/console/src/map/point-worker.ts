/// <reference lib="webworker" />
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
    // Wall-clock times, so the page can put them on its own timeline.
    const requestedAt = performance.timeOrigin + performance.now();
    const response = await api.mapPoints(token, unit, controller.signal);
    const fetchedAt = performance.timeOrigin + performance.now();
    store.loadBase(response);
    const storedAt = performance.timeOrigin + performance.now();
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
