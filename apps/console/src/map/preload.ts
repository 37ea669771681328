import type { warmUpMap } from './warm-map';

/** MapLibre and the map view: a chunk of their own, fetched while the user types. */
export const loadMapView = () => import('./map-view');

let warmMapModule: Promise<typeof import('./warm-map')> | null = null;

/**
 * From the sign-in screen: fetches and runs the map's code and, given the map's settings,
 * warms up the console's map out of sight (map/warm-map.ts) so that its first picture does not
 * wait for its shaders to compile.
 */
export function preloadMapView(warmUp?: Parameters<typeof warmUpMap>[0]): void {
  void loadMapView();
  if (!warmUp) return;
  warmMapModule ??= import('./warm-map');
  void warmMapModule.then((module) => module.warmUpMap(warmUp));
}

/** Signed in to a screen without the map console: the warmed-up map is let go. */
export function dropPreloadedMap(): void {
  void warmMapModule?.then((module) => module.dropWarmMap());
}
