import { useRouter } from '@tanstack/react-router';
import { useCallback, useMemo } from 'react';
import { useRouteLocation } from '../shell/route-location';
import { WALL_PATH } from '../shell/screens';
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

export type SetView = (patch: Partial<ViewParams>, options?: { replace?: boolean }) => void;

/**
 * The view from the router's location and a setter that navigates through the router: a new
 * unit adds a history entry, toggles replace it. Once the router has left for another screen
 * it writes nothing (the desk's "the URL names the unit" effect would send the router back).
 */
export function useView(): [ViewParams, SetView] {
  const router = useRouter();
  const own = useRouteLocation();
  const view = useMemo(() => parseView(own), [own]);
  const ownPath = own.pathname;
  const setView = useCallback<SetView>(
    (patch, options) => {
      const { location } = router.state;
      if (location.pathname !== ownPath) return;
      const next = viewUrl({
        ...parseView({ pathname: location.pathname, search: location.searchStr }),
        ...patch,
      });
      if (next === location.pathname + location.searchStr) return;
      void router.navigate({
        href: next,
        replace: (options ?? { replace: !('unit' in patch) }).replace,
      });
    },
    [router, ownPath],
  );
  return [view, setView];
}
