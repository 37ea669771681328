import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { GeoJSONSource, Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import type { MapPointLayer } from '@frontline/contracts';
import {
  POINT_DRAW_ORDER,
  POINT_LAYERS,
  SOURCES,
  UNIT_LAYER_IDS,
  alertLayer,
  pointLayerDef,
  pointLayerIds,
  pointLayers,
  selectedLayer,
  unitFilters,
  unitLabelLayer,
  unitLayers,
} from './layers';
import type { MeasureDef } from './layers';
import { baseStyle, markerImage } from './style';

// MapLibre's worker is bundled by Vite and served from the console's own origin. Set here,
// where both the warm-up (warm-map.ts) and the map view make their map: whichever chunk runs
// first, MapLibre never falls back to its default address (`maplibre-gl-worker.mjs`, a 404),
// which breaks every map of the page (one worker pool per page).
setWorkerUrl(workerUrl);

/**
 * The console's MapLibre map and its sources and layers, shared by the map view and by the
 * warm-up on the sign-in screen (warm-map.ts): both must build exactly the same layers, or the
 * shaders compiled by the warm-up are not the ones the console draws with.
 */

export type MapMode = 'points' | 'heat';

export interface ConsoleMapOptions {
  /** The operator's basemap style (console-config); null: the built-in offline style. */
  basemapStyleUrl: string | null;
  /** The video wall: no interaction. */
  wall: boolean;
  /** MapLibre's own UI strings, in the console's language (the map view sets them again). */
  locale?: Record<string, string>;
}

export function createConsoleMap(container: HTMLElement, options: ConsoleMapOptions): MapLibreMap {
  return new MapLibreMap({
    container,
    style: baseStyle(options.basemapStyleUrl),
    center: [0, 0],
    zoom: 1,
    minZoom: 3,
    maxZoom: 16,
    interactive: !options.wall,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    attributionControl: false,
    fadeDuration: 0,
    locale: options.locale,
  });
}

/** Marks on the map follow the page's type scale (bigger on the wall and on a 4K screen). */
export function pageScale(): number {
  const rootFont = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
  return Math.max(1, rootFont / 15);
}

/** The point layers' marker images, drawn at the page's scale (kept when already there). */
function addMarkerImages(map: MapLibreMap, scale: number): void {
  const ratio = Math.ceil(2 * scale);
  for (const def of POINT_LAYERS) {
    const name = `fl-marker-${def.id}`;
    if (map.hasImage(name)) continue;
    const image = markerImage(def.shape, def.colour, ratio);
    if (image) map.addImage(name, image, { pixelRatio: ratio / scale });
  }
}

export interface ConsoleLayerData {
  units: GeoJSON.FeatureCollection;
  labels: GeoJSON.FeatureCollection;
  points: GeoJSON.FeatureCollection;
}

export const EMPTY_COLLECTION: GeoJSON.FeatureCollection = {
  type: 'FeatureCollection',
  features: [],
};

/**
 * The units, their labels, the point layers (markers, clusters, heat) with their marker images,
 * the alert rings and the selection, in drawing order, added in one go (each source filled
 * later is a frame more).
 */
export function addConsoleLayers(
  map: MapLibreMap,
  data: ConsoleLayerData,
  measure: MeasureDef,
  scale: number,
): void {
  addMarkerImages(map, scale);
  map.addSource(SOURCES.units, { type: 'geojson', data: data.units, promoteId: 'code' });
  map.addSource(SOURCES.unitLabels, { type: 'geojson', data: data.labels });
  // Markers and clusters of the view, built by the point worker (clusters.ts).
  map.addSource(SOURCES.points, { type: 'geojson', data: data.points });
  map.addSource(SOURCES.alerts, { type: 'geojson', data: EMPTY_COLLECTION });
  map.addSource(SOURCES.selected, { type: 'geojson', data: EMPTY_COLLECTION });

  for (const layer of unitLayers(measure, scale)) map.addLayer(layer);
  const perLayer = POINT_DRAW_ORDER.map((id) => pointLayers(pointLayerDef(id), scale));
  for (const specs of perLayer) map.addLayer(specs[0]); // heat, under the labels
  map.addLayer(unitLabelLayer(scale));
  for (const specs of perLayer) for (const spec of specs.slice(1)) map.addLayer(spec);
  map.addLayer(alertLayer(scale));
  map.addLayer(selectedLayer(scale));
}

/** Takes off everything addConsoleLayers put on (the style, images and shaders stay). */
export function removeConsoleLayers(map: MapLibreMap): void {
  for (const layer of map.getStyle().layers) {
    if (layer.id.startsWith('fl-')) map.removeLayer(layer.id);
  }
  for (const source of Object.values(SOURCES)) {
    if (map.getSource(source)) map.removeSource(source);
  }
}

/** Which units are filled, outlined and labelled: the view's children, or the view itself. */
export function applyUnitFilters(map: MapLibreMap, view: string, drawChildren: boolean): void {
  const filters = unitFilters(view, drawChildren);
  map.setFilter(UNIT_LAYER_IDS.fill, filters.fill);
  map.setFilter(UNIT_LAYER_IDS.line, filters.line);
  map.setFilter(UNIT_LAYER_IDS.lineApprox, filters.lineApprox);
  map.setFilter(UNIT_LAYER_IDS.root, filters.root);
  map.setFilter(UNIT_LAYER_IDS.labels, filters.labels);
}

/** Shows the chosen point layers, as markers and clusters or as heat. */
export function applyPointVisibility(
  map: MapLibreMap,
  visible: ReadonlySet<MapPointLayer | string>,
  mode: MapMode,
): void {
  const heat = mode === 'heat';
  for (const def of POINT_LAYERS) {
    const on = visible.has(def.id);
    const ids = pointLayerIds(def.id);
    map.setLayoutProperty(ids.heat, 'visibility', on && heat ? 'visible' : 'none');
    for (const id of [ids.clusters, ids.clusterCount, ids.drillRing, ids.points]) {
      map.setLayoutProperty(id, 'visibility', on && !heat ? 'visible' : 'none');
    }
  }
}

export function geojsonSource(map: MapLibreMap, id: string): GeoJSONSource | null {
  const source = map.getSource(id);
  return source instanceof GeoJSONSource ? source : null;
}
