import type { Map as MapLibreMap } from 'maplibre-gl';
import { POINT_LAYERS, SOURCES, measureDef } from './layers';
import type { MeasureId } from './layers';
import {
  EMPTY_COLLECTION,
  addConsoleLayers,
  applyPointVisibility,
  applyUnitFilters,
  createConsoleMap,
  geojsonSource,
  pageScale,
  removeConsoleLayers,
} from './console-map';
import type { MapMode } from './console-map';

/**
 * The console's map, made on the sign-in screen while the user types (decision 0022).
 *
 * Out of sight, it draws every one of the console's layers once over a few made-up features,
 * then takes them off again. Where WebGL runs on the CPU (no GPU), the first frame that draws
 * each kind of layer is very slow: every shader is compiled for this WebGL context on first
 * use (0.5-1 s per frame here). Compiled shaders belong to their context, so the console takes
 * this very map (its canvas moved into the console's map panel) instead of making its own.
 */

interface WarmMap {
  map: MapLibreMap;
  /** The element MapLibre was given; it moves into the console's map panel. */
  host: HTMLDivElement;
  basemapStyleUrl: string | null;
  scale: number;
  /** MapLibre's `load` has fired (the style is in). */
  loaded: boolean;
  /** The made-up layers are on the map. */
  warming: boolean;
  onError: (event: { error?: { message: string } }) => void;
  /** Puts the next layers' features on, once the map is idle. */
  nextStage: () => void;
}

let warm: WarmMap | null = null;
/**
 * Map views on the page. With one there, a warm-up that comes late (its code was still loading
 * at sign-in) is not started: nothing would take it.
 */
let mapViews = 0;

/** A place far from any jurisdiction the console shows, in view of the map's first camera. */
const AT: [number, number] = [0, 0];
const WARM_VIEW = 'warm-up';

function square(west: number, south: number, size: number): GeoJSON.Polygon {
  const ring: [number, number][] = [
    [west, south],
    [west + size, south],
    [west + size, south + size],
    [west, south + size],
    [west, south],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}

function unit(
  code: string,
  parentCode: string | null,
  approximate: boolean,
  geometry: GeoJSON.Polygon,
) {
  return {
    type: 'Feature' as const,
    properties: { code, name: code, level: 'district', parentCode, approximate },
    geometry,
  };
}

/** Features for every layer the console draws at first (markers, clusters, drill rings, …). */
function warmUpData() {
  const [x, y] = AT;
  const point = (dx: number, dy: number, properties: Record<string, unknown>) => ({
    type: 'Feature' as const,
    properties,
    geometry: { type: 'Point' as const, coordinates: [x + dx, y + dy] },
  });
  return {
    units: {
      type: 'FeatureCollection' as const,
      features: [
        unit(WARM_VIEW, null, false, square(x - 10, y - 10, 20)),
        unit('a', WARM_VIEW, false, square(x - 8, y - 8, 8)),
        unit('b', WARM_VIEW, true, square(x, y, 8)),
      ],
    },
    labels: {
      type: 'FeatureCollection' as const,
      // Diacritics and capitals, as the unit names have them.
      features: [point(-4, -4, { code: 'a', name: 'Phường Đông Hải', parentCode: WARM_VIEW })],
    },
    points: {
      type: 'FeatureCollection' as const,
      features: POINT_LAYERS.flatMap((def, i) => [
        point(i, 2, { layer: def.id, id: `${def.id}-marker`, drill: true }),
        point(i, -2, {
          layer: def.id,
          cluster: true,
          cluster_id: i,
          point_count: 1200,
          point_count_abbreviated: '1.2k',
        }),
      ]),
    },
  };
}

/**
 * Starts the warm-up (once; the map view takes the map, or dropWarmMap ends it). The wall has
 * its own layout and a map without interaction, so it is not warmed here.
 */
export function warmUpMap(options: {
  basemapStyleUrl: string | null;
  /** The view's shading and its points' mode (markers and clusters, or heat), from its URL. */
  measure: MeasureId;
  mode: MapMode;
}): void {
  if (warm || mapViews > 0) return;
  const host = document.createElement('div');
  host.className = 'map-host is-warming';
  // Under the sign-in screen: out of the tab order and of what screen readers read.
  host.inert = true;
  document.body.appendChild(host);
  let map: MapLibreMap;
  try {
    map = createConsoleMap(host, { basemapStyleUrl: options.basemapStyleUrl, wall: false });
  } catch (error) {
    // No WebGL here: nothing to warm up (the console's map view says what is wrong).
    host.remove();
    console.warn('map warm-up:', error instanceof Error ? error.message : error);
    return;
  }
  const state: WarmMap = {
    map,
    host,
    basemapStyleUrl: options.basemapStyleUrl,
    scale: pageScale(),
    loaded: false,
    warming: false,
    onError: (event) => console.warn('map warm-up:', event.error?.message ?? event),
    nextStage: () => {},
  };
  warm = state;
  map.once('load', () => {
    state.loaded = true;
    if (warm !== state) return; // taken before its style came in: the map view goes on
    const data = warmUpData();
    addConsoleLayers(
      map,
      { units: data.units, labels: EMPTY_COLLECTION, points: EMPTY_COLLECTION },
      measureDef(options.measure),
      state.scale,
    );
    applyUnitFilters(map, WARM_VIEW, true);
    applyPointVisibility(map, new Set(POINT_LAYERS.map((def) => def.id)), options.mode);
    // One kind of layer more per frame (units, then labels, points, rings): each frame compiles
    // a few shaders, so the sign-in screen is held up in short steps rather than one long one.
    const ring = { type: 'FeatureCollection' as const, features: [data.points.features[0]] };
    const stages: [string, GeoJSON.FeatureCollection][] = [
      [SOURCES.unitLabels, data.labels],
      [SOURCES.points, data.points],
      [SOURCES.alerts, ring],
      [SOURCES.selected, ring],
    ];
    state.nextStage = () => {
      const stage = stages.shift();
      if (!stage) {
        performance.mark('map:warmed');
        endWarmUp(state);
        return;
      }
      void geojsonSource(map, stage[0])?.setData(stage[1]);
      map.once('idle', state.nextStage);
    };
    state.warming = true;
    performance.mark('map:warm-up');
    map.once('idle', state.nextStage);
  });
  map.on('error', state.onError);
}

function endWarmUp(state: WarmMap): void {
  if (!state.warming) return;
  state.warming = false;
  state.map.off('idle', state.nextStage);
  removeConsoleLayers(state.map);
}

/**
 * The warmed-up map for a map view with these settings, moved out of the page's body; the
 * caller puts `host` where the map goes. Null when there is none, or it was made for other
 * settings (it is then removed). Every map view calls it once as it is made, and mapViewClosed
 * as it goes.
 */
export function takeWarmMap(options: {
  basemapStyleUrl: string | null;
  wall: boolean;
  scale: number;
}): { map: MapLibreMap; host: HTMLDivElement; loaded: boolean } | null {
  mapViews += 1;
  const state = warm;
  warm = null;
  if (!state) return null;
  if (
    options.wall ||
    state.basemapStyleUrl !== options.basemapStyleUrl ||
    state.scale !== options.scale
  ) {
    removeWarmMap(state);
    return null;
  }
  endWarmUp(state);
  state.map.off('error', state.onError);
  state.host.classList.remove('is-warming');
  state.host.inert = false;
  state.host.remove();
  return { map: state.map, host: state.host, loaded: state.loaded };
}

/** A map view that called takeWarmMap is gone (signed out, or another layout). */
export function mapViewClosed(): void {
  mapViews = Math.max(0, mapViews - 1);
}

/** Signed in to a screen without the map console: the warm map goes. */
export function dropWarmMap(): void {
  if (warm) removeWarmMap(warm);
  warm = null;
}

function removeWarmMap(state: WarmMap): void {
  state.map.remove();
  state.host.remove();
}
