import { useCallback, useSyncExternalStore } from 'react';
import type { MapPointLayer } from '@frontline/contracts';
import { POINT_LAYER_IDS, isMeasure, isPointLayer } from '../map/layers';
import type { MeasureId } from '../map/layers';
import type { MapMode } from '../map/console-map';

/**
 * The view lives in the URL, so a link can be shared and a reload shows the same thing:
 *   /?unit=194&layers=f0,reports&mode=heat&shade=f0-7d&drill=1
 *   /wall (or ?mode=wall): the video wall; /wall?rotate=30: seconds per unit of its rotation
 * `unit` is checked against the jurisdiction by the screen (outside it: the home unit).
 */
export interface ViewParams {
  unit: string | null;
  layers: readonly MapPointLayer[];
  mode: MapMode;
  shade: MeasureId;
  drill: boolean;
  wall: boolean;
  /** Seconds each unit stays on the wall (null: the default, 20 s). */
  rotate: number | null;
  /** Browser tests read the map through window.__frontlineMap (never set otherwise). */
  testHooks: boolean;
}

export const DEFAULT_SHADE: MeasureId = 'f0-7d';
const UNIT_CODE = /^[A-Za-z0-9_-]{1,32}$/;
const ROTATE_MIN_S = 2;
const ROTATE_MAX_S = 3600;

function parseRotate(value: string | null): number | null {
  if (value === null || !/^\d{1,4}$/.test(value)) return null;
  const seconds = Number(value);
  return seconds >= ROTATE_MIN_S && seconds <= ROTATE_MAX_S ? seconds : null;
}
export const WALL_PATH = '/wall';

export function parseView(location: { pathname: string; search: string }): ViewParams {
  const q = new URLSearchParams(location.search);
  const unit = q.get('unit');
  const layers = q.get('layers');
  const mode = q.get('mode');
  const shade = q.get('shade');
  return {
    unit: unit && UNIT_CODE.test(unit) ? unit : null,
    layers:
      layers === null
        ? POINT_LAYER_IDS
        : POINT_LAYER_IDS.filter((id) =>
            layers.split(',').some((v) => v === id && isPointLayer(v)),
          ),
    mode: mode === 'heat' ? 'heat' : 'points',
    shade: shade && isMeasure(shade) ? shade : DEFAULT_SHADE,
    drill: q.get('drill') === '1',
    wall: location.pathname.replace(/\/+$/, '') === WALL_PATH || mode === 'wall',
    rotate: parseRotate(q.get('rotate')),
    testHooks: q.get('testHooks') === '1',
  };
}

/** The URL of a view: only what differs from the defaults, the unit always. */
export function viewUrl(view: ViewParams): string {
  const q = new URLSearchParams();
  if (view.unit) q.set('unit', view.unit);
  if (view.layers.length !== POINT_LAYER_IDS.length) q.set('layers', view.layers.join(','));
  if (view.mode === 'heat') q.set('mode', 'heat');
  if (view.shade !== DEFAULT_SHADE) q.set('shade', view.shade);
  if (view.drill) q.set('drill', '1');
  if (view.rotate !== null) q.set('rotate', String(view.rotate));
  if (view.testHooks) q.set('testHooks', '1');
  const search = q.toString();
  return `${view.wall ? WALL_PATH : '/'}${search ? `?${search}` : ''}`;
}

// A tiny store over window.location: history changes made here and the back button.
const listeners = new Set<() => void>();
let cached: { key: string; view: ViewParams } | null = null;

function current(): ViewParams {
  const key = window.location.pathname + window.location.search;
  if (cached?.key !== key) cached = { key, view: parseView(window.location) };
  return cached.view;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(next: ViewParams, options: { replace?: boolean } = {}): void {
  const url = viewUrl(next);
  if (url === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const listener of listeners) listener();
}

export type SetView = (patch: Partial<ViewParams>, options?: { replace?: boolean }) => void;

/** The view from the URL and a setter: a new unit adds a history entry, toggles replace it. */
export function useView(): [ViewParams, SetView] {
  const view = useSyncExternalStore(subscribe, current);
  const setView = useCallback<SetView>((patch, options) => {
    navigate({ ...current(), ...patch }, options ?? { replace: !('unit' in patch) });
  }, []);
  return [view, setView];
}
