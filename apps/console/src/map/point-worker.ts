/// <reference lib="webworker" />
import type { MapPointLayer } from '@frontline/contracts';
import { ApiError, api } from '../api/client';
import { PointStore } from './point-store';
import type { SourceUpdate } from './point-store';
import type { FromPointWorker, ToPointWorker } from './point-worker-protocol';

/**
 * The map's point store, off the main thread (see point-worker-protocol.ts). Whole layers leave
 * as GeoJSON text in a transferred buffer (no copy, no structured clone of 50,000 objects);
 * diffs, counts and answers as small messages.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const store = new PointStore();
const loads = new Map<number, AbortController>();
const encoder = new TextEncoder();
let detach: (() => void) | null = null;

function post(message: FromPointWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function apply(layer: MapPointLayer, update: SourceUpdate): void {
  if (update.kind === 'diff') {
    post({ kind: 'diff', layer, diff: update.diff });
    return;
  }
  if (update.kind !== 'full') return; // only the main thread makes URLs
  const json = encoder.encode(JSON.stringify(update.data)).buffer as ArrayBuffer;
  const ids = update.data.features.map((f) => String(f.properties?.id));
  post({ kind: 'full', layer, json, ids }, [json]);
}

store.subscribe(() => post({ kind: 'counts', counts: { ...store.getCounts() }, stats: { ...store.stats } }));

async function loadBase(request: number, token: string, unit: string): Promise<void> {
  const controller = new AbortController();
  loads.set(request, controller);
  try {
    const response = await api.mapPoints(token, unit, controller.signal);
    store.loadBase(response);
    const points = Object.values(response.layers).reduce((n, c) => n + c.ids.length, 0);
    post({ kind: 'base-loaded', request, unit: response.unit, points });
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
  }
};
