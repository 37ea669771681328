import 'maplibre-gl/dist/maplibre-gl.css';
import {
  AttributionControl,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
} from 'maplibre-gl';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { MapPointLayer, UnitFeature } from '@frontline/contracts';
import {
  ALERT_LAYER_ID,
  POINT_LAYERS,
  SOURCES,
  UNIT_LAYER_IDS,
  measureDef,
  measureFill,
  pointLayerIds,
} from './layers';
import type { MeasureId } from './layers';
import type { ClusterView } from './clusters';
import type { MapPointSource, PointPlacement, PointSink, PointStoreStats } from './point-store';
import { geometryBounds, unitLabels, unitPolygons } from './style';
import {
  EMPTY_COLLECTION,
  addConsoleLayers,
  applyPointVisibility,
  applyUnitFilters,
  createConsoleMap,
  geojsonSource,
  pageScale,
} from './console-map';
import type { MapMode } from './console-map';
import { mapViewClosed, takeWarmMap } from './warm-map';

export interface MapPoint {
  id: string;
  lon: number;
  lat: number;
}

export interface MapViewProps {
  /** The operator's basemap style (console-config); null: the built-in offline style. */
  basemapStyleUrl: string | null;
  /** Units of the jurisdiction and of the view, with geometry. */
  units: readonly UnitFeature[];
  /** The unit shown: its children are drawn (or itself when it has none). */
  view: string;
  /** Measure values by unit code (children of the view), for the shading. */
  figures: ReadonlyMap<string, number>;
  measure: MeasureId;
  layers: readonly MapPointLayer[];
  mode: MapMode;
  store: MapPointSource;
  /** Urgent reports nobody has acknowledged yet: ringed until acknowledged. */
  alerts: readonly MapPoint[];
  /** The selected event: the map flies to it. */
  focus: MapPoint | null;
  /** The video wall: no controls, no interaction, bigger marks. */
  wall?: boolean;
  /** Exposes window.__frontlineMap for browser tests (only with ?testHooks=1). */
  testHooks?: boolean;
  label: string;
  /** Shown in the map's place until its layers are on. */
  loadingLabel: string;
  /** MapLibre's own UI strings (zoom buttons, attribution toggle), in the console's language. */
  controlLabels: { zoomIn: string; zoomOut: string; attribution: string };
  onSelectUnit?: (code: string) => void;
  onSelectEvent?: (id: string) => void;
}

/** How long the layers wait for the first markers and clusters before going on without. */
const FIRST_DATA_WAIT_MS = 4000;

type PointsData = Parameters<PointSink['apply']>[0];

/** The share of the wall's map width its legend may take (styles.css `.map-panel.is-wall`). */
const WALL_LEGEND_SHARE = 0.34;

/**
 * The steps to the map's first picture, on the page's performance timeline (a browser's
 * performance tools show them; bench/console-render.bench.ts reads them).
 */
type MapStep = 'created' | 'loaded' | 'fitted' | 'first-points' | 'layers' | 'drawn';
function markStep(step: MapStep): void {
  performance.mark(`map:${step}`);
}

function pointsCollection(points: readonly MapPoint[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      properties: { id: p.id },
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
    })),
  };
}

/**
 * What the point worker clusters for: the zoom, the mode, and the bounds in view with half a
 * screen of margin on every side, so a small pan finds its markers already there.
 */
function clusterView(map: MapLibreMap, mode: MapMode): ClusterView {
  const bounds = map.getBounds();
  const west = bounds.getWest();
  const east = bounds.getEast();
  const south = bounds.getSouth();
  const north = bounds.getNorth();
  const dx = (east - west) / 2;
  const dy = (north - south) / 2;
  return {
    zoom: map.getZoom(),
    bounds: [west - dx, Math.max(-85, south - dy), east + dx, Math.min(85, north + dy)],
    mode,
  };
}

/** What browser tests read (window.__frontlineMap), never present in normal use. */
export interface MapTestHooks {
  map: MapLibreMap;
  view: () => string;
  ready: () => boolean;
  renderedUnits: () => string[];
  renderedPoints: (layer: MapPointLayer) => string[];
  renderedClusters: (layer: MapPointLayer) => number;
  hasPoint: (layer: MapPointLayer, id: string) => Promise<boolean>;
  /** Whether point `id` is drawn: as a marker, or inside a cluster drawn on the screen. */
  pointDrawn: (layer: MapPointLayer, id: string) => Promise<boolean>;
  /** How point `id` is drawn in the view last clustered: a marker, in a cluster, or not. */
  placement: (layer: MapPointLayer, id: string) => Promise<PointPlacement>;
  /** Where a unit's label point is on the screen (CSS px from the map's top left). */
  unitScreenPoint: (code: string) => { x: number; y: number } | null;
  stats: () => PointStoreStats;
  pointCounts: () => Readonly<Record<MapPointLayer, number>>;
}

declare global {
  interface Window {
    __frontlineMap?: MapTestHooks;
  }
}

export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  /** The style has loaded: the camera can move, the point worker can cluster for it. */
  const [loaded, setLoaded] = useState(false);
  /** Sources and layers are on the map (added in one go once the first data is in). */
  const [ready, setReady] = useState(false);
  /** The point worker's first markers and clusters, held until the layers are added. */
  const [firstPoints, setFirstPoints] = useState<PointsData | null>(null);
  /** Waited long enough for the first points: the layers are added without them. */
  const [waitedLong, setWaitedLong] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const latest = useRef(props);
  latest.current = props;
  /** The unit (and bounds) the map was last fitted to; null until the first fit of this map. */
  const fitted = useRef<string | null>(null);
  /** How many alert rings, and whether a selection ring, the map holds (empty: no update). */
  const ringed = useRef(0);
  const selectedShown = useRef(false);
  /** Whether the layers were added (what the point sink reads, ahead of `ready`). */
  const built = useRef(false);
  /** The units collection last handed to the units source. */
  const shownUnits = useRef<readonly UnitFeature[] | null>(null);
  /** Marks on the map follow the page's type scale (bigger on the wall and on a 4K screen). */
  const scale = useRef(1);
  const wall = props.wall === true;

  // ---- create the map once (per basemap and wall mode) -------------------------------------
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    scale.current = pageScale();
    // The map warmed up on the sign-in screen when there is one (warm-map.ts), else a new one.
    const warm = takeWarmMap({
      basemapStyleUrl: props.basemapStyleUrl,
      wall,
      scale: scale.current,
    });
    const host =
      warm?.host ?? Object.assign(document.createElement('div'), { className: 'map-host' });
    element.appendChild(host);
    const map =
      warm?.map ??
      createConsoleMap(host, {
        basemapStyleUrl: props.basemapStyleUrl,
        wall,
        locale: {
          'Map.Title': latest.current.label,
          'NavigationControl.ZoomIn': latest.current.controlLabels.zoomIn,
          'NavigationControl.ZoomOut': latest.current.controlLabels.zoomOut,
          'AttributionControl.ToggleAttribution': latest.current.controlLabels.attribution,
        },
      });
    if (warm) map.resize();
    mapRef.current = map;
    markStep('created');
    // An operator's basemap brings its own attribution; the offline style's sources (Natural
    // Earth, approximate units) are named in the legend, in the console's language.
    // On the wall it is plain text (no button: the wall has no controls).
    if (props.basemapStyleUrl)
      map.addControl(new AttributionControl({ compact: !wall }), 'bottom-right');
    if (!wall) {
      map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
      map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    }

    const onLoad = () => {
      markStep('loaded');
      setLoaded(true);
    };
    if (warm?.loaded) onLoad();
    else map.once('load', onLoad);
    // Without a first flush (no view to cluster for, a worker that failed) the layers are
    // added anyway after a while.
    const giveUp = setTimeout(() => setWaitedLong(true), FIRST_DATA_WAIT_MS);

    // ---- interaction -----------------------------------------------------------------------
    const pointLayerNames = POINT_LAYERS.map((def) => pointLayerIds(def.id).points);
    const clusterLayerNames = POINT_LAYERS.map((def) => pointLayerIds(def.id).clusters);
    map.on('click', (event) => {
      const hit = map.queryRenderedFeatures(event.point, {
        layers: [ALERT_LAYER_ID, ...pointLayerNames, ...clusterLayerNames],
      });
      const first = hit[0];
      if (first) {
        const cluster = first.properties ?? {};
        if (cluster.cluster === true) {
          // Fit its points; points at one spot (rounded places) open two zoom levels closer.
          const { west, south, east, north } = cluster as Record<string, number>;
          if (east - west > 1e-6 || north - south > 1e-6) {
            map.fitBounds(
              [
                [west, south],
                [east, north],
              ],
              { padding: 80, maxZoom: 16, duration: 600 },
            );
          } else {
            map.easeTo({ center: [west, south], zoom: Math.min(map.getZoom() + 2, 16) });
          }
          return;
        }
        const id = first.properties?.id as string | undefined;
        if (id) latest.current.onSelectEvent?.(id);
        return;
      }
      const unit = map.queryRenderedFeatures(event.point, { layers: [UNIT_LAYER_IDS.fill] })[0];
      const code = unit?.properties?.code as string | undefined;
      if (code && code !== latest.current.view) latest.current.onSelectUnit?.(code);
    });

    let hovered = '';
    const setHover = (feature: MapGeoJSONFeature | undefined) => {
      const code = typeof feature?.properties?.code === 'string' ? feature.properties.code : '';
      if (code === hovered) return;
      hovered = code;
      map.setFilter(UNIT_LAYER_IDS.hover, ['==', ['get', 'code'], code]);
    };
    // Hover: at most once a frame, and not again for the same spot (browsers send a mousemove
    // at the same position whenever the page's layout changes, i.e. with every live batch).
    let pointer: { x: number; y: number } | null = null;
    let lastHover = '';
    let hoverFrame = 0;
    const hover = () => {
      hoverFrame = 0;
      if (!pointer || !map.getLayer(UNIT_LAYER_IDS.fill)) return;
      const key = `${pointer.x},${pointer.y},${map.getZoom()},${map.getCenter().toString()}`;
      if (key === lastHover) return;
      lastHover = key;
      const clickable = map.queryRenderedFeatures([pointer.x, pointer.y], {
        layers: [ALERT_LAYER_ID, ...pointLayerNames, ...clusterLayerNames],
      });
      const unit = map.queryRenderedFeatures([pointer.x, pointer.y], {
        layers: [UNIT_LAYER_IDS.fill],
      })[0];
      setHover(unit);
      map.getCanvas().style.cursor = clickable.length || unit ? 'pointer' : '';
    };
    map.on('mousemove', (event) => {
      pointer = { x: event.point.x, y: event.point.y };
      if (!hoverFrame) hoverFrame = requestAnimationFrame(hover);
    });
    map.on('mouseout', () => {
      pointer = null;
      lastHover = '';
      setHover(undefined);
    });
    map.on('error', (event) => console.warn('map:', event.error?.message ?? event));

    return () => {
      cancelAnimationFrame(hoverFrame);
      clearTimeout(giveUp);
      setLoaded(false);
      setReady(false);
      setDrawn(false);
      setFirstPoints(null);
      setWaitedLong(false);
      built.current = false;
      shownUnits.current = null;
      fitted.current = null;
      ringed.current = 0;
      selectedShown.current = false;
      mapRef.current = null;
      map.remove();
      host.remove();
      mapViewClosed();
    };
    // Created once per basemap and layout; everything else is applied by the effects below.
  }, [props.basemapStyleUrl, wall]);

  // ---- units ------------------------------------------------------------------------------
  const { units, view } = props;
  const drawChildren = units.some((unit) => unit.properties.parentCode === view && unit.geometry);
  // ---- sources and layers, added in one go with the first data -----------------------------
  // On a machine without a GPU every map frame is drawn by the CPU: adding empty sources and
  // filling them one by one (units, labels, then points) costs a frame each, all before the
  // first full picture. Here the layers wait for the units' shapes and the first markers and
  // clusters, and arrive together.
  const hasShapes = units.some((unit) => unit.geometry !== null);
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map || built.current) return;
    if (!(hasShapes && firstPoints) && !waitedLong) return;
    built.current = true;
    const current = latest.current;
    addConsoleLayers(
      map,
      {
        units: unitPolygons(current.units),
        labels: unitLabels(current.units),
        points: firstPoints ?? EMPTY_COLLECTION,
      },
      measureDef(current.measure),
      scale.current,
    );
    shownUnits.current = current.units;
    markStep('layers');
    map.once('idle', () => {
      markStep('drawn');
      setDrawn(true);
    });
    setReady(true);
  }, [loaded, hasShapes, firstPoints, waitedLong]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map || units === shownUnits.current) return;
    shownUnits.current = units;
    void geojsonSource(map, SOURCES.units)?.setData(unitPolygons(units));
    void geojsonSource(map, SOURCES.unitLabels)?.setData(unitLabels(units));
  }, [ready, units]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    applyUnitFilters(map, view, drawChildren);
  }, [ready, view, drawChildren]);

  // Fit the view unit once per unit (and when its geometry first arrives).
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const bounds = geometryBounds(units.find((u) => u.properties.code === view)?.geometry ?? null);
    if (!bounds) return;
    const key = `${view}:${bounds.join(',')}`;
    if (fitted.current === key) return;
    const first = fitted.current === null;
    fitted.current = key;
    if (first) markStep('fitted');
    map.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      {
        // On the wall the legend stays open at the top left (up to 34 % of the map's width):
        // the unit is fitted beside it, not under it.
        padding: wall
          ? {
              top: 48,
              right: 48,
              bottom: 48,
              left: Math.round(map.getContainer().clientWidth * WALL_LEGEND_SHARE) + 24,
            }
          : 44,
        maxZoom: 13,
        duration: first ? 0 : wall ? 1500 : 700,
      },
    );
  }, [loaded, view, units, wall]);

  // ---- shading ----------------------------------------------------------------------------
  const shaded = useRef(new Set<string>());
  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    map.setPaintProperty(UNIT_LAYER_IDS.fill, 'fill-color', measureFill(measureDef(props.measure)));
    for (const code of shaded.current) {
      if (!props.figures.has(code))
        map.setFeatureState({ source: SOURCES.units, id: code }, { value: null });
    }
    shaded.current = new Set(props.figures.keys());
    for (const [code, value] of props.figures) {
      map.setFeatureState({ source: SOURCES.units, id: code }, { value });
    }
  }, [ready, props.measure, props.figures]);

  // ---- point layers: visibility, clusters or heat ------------------------------------------
  const layerKey = props.layers.join(',');
  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    applyPointVisibility(map, new Set(layerKey.split(',')), props.mode);
  }, [ready, layerKey, props.mode]);

  // ---- live points: the store flushes the view's markers and clusters into the sources ------
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const store = props.store;
    const detach = store.attach({
      apply: (data) => {
        if (built.current) {
          void geojsonSource(map, SOURCES.points)?.setData(data);
        } else {
          markStep('first-points');
          setFirstPoints(data);
        }
      },
    });
    // Clustered again once a move ends (not during it: a zoom animation keeps the last ones).
    const moved = () => store.setView(clusterView(map, latest.current.mode));
    map.on('moveend', moved);
    return () => {
      map.off('moveend', moved);
      detach();
    };
  }, [loaded, props.store]);

  // A new mode is a new view. Before the first fit there is no view worth clustering for
  // (the whole world at zoom 1): the fit's moveend sends the first one.
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map || fitted.current === null) return;
    props.store.setView(clusterView(map, props.mode));
  }, [loaded, props.store, props.mode]);

  // ---- highlights ---------------------------------------------------------------------------
  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    // Nothing to ring and nothing rung: no update (each one is a map frame).
    if (props.alerts.length === 0 && ringed.current === 0) return;
    ringed.current = props.alerts.length;
    void geojsonSource(map, SOURCES.alerts)?.setData(pointsCollection(props.alerts));
  }, [ready, props.alerts]);

  const focus = props.focus;
  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    if (focus || selectedShown.current) {
      selectedShown.current = focus !== null;
      void geojsonSource(map, SOURCES.selected)?.setData(pointsCollection(focus ? [focus] : []));
    }
    if (focus) {
      map.flyTo({
        center: [focus.lon, focus.lat],
        zoom: Math.max(map.getZoom(), 11),
        duration: 900,
      });
    }
  }, [ready, focus]);

  // The language can change while the map lives: MapLibre's labels follow it.
  const { zoomIn, zoomOut } = props.controlLabels;
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    element.querySelector('canvas')?.setAttribute('aria-label', props.label);
    for (const [selector, text] of [
      ['.maplibregl-ctrl-zoom-in', zoomIn],
      ['.maplibregl-ctrl-zoom-out', zoomOut],
    ] as const) {
      const button = element.querySelector(selector);
      button?.setAttribute('title', text);
      button?.setAttribute('aria-label', text);
    }
  }, [ready, props.label, zoomIn, zoomOut]);

  // ---- test hooks (only with ?testHooks=1) --------------------------------------------------
  useEffect(() => {
    const map = mapRef.current;
    if (!props.testHooks || !ready || !map) return;
    const store = props.store;
    const rendered = (layers: string[]) =>
      map.getLayer(layers[0]) ? map.queryRenderedFeatures({ layers }) : [];
    window.__frontlineMap = {
      map,
      view: () => latest.current.view,
      ready: () => map.loaded() && map.areTilesLoaded() && !map.isMoving(),
      renderedUnits: () => [
        ...new Set(rendered([UNIT_LAYER_IDS.fill]).map((f) => String(f.properties.code))),
      ],
      renderedPoints: (layer) =>
        rendered([pointLayerIds(layer).points]).map((f) => String(f.properties.id)),
      renderedClusters: (layer) =>
        rendered([pointLayerIds(layer).clusters]).reduce(
          (sum, f) => sum + Number(f.properties.point_count ?? 0),
          0,
        ),
      hasPoint: async (layer, id) => (await store.locate(layer, id)).held,
      placement: async (layer, id) => (await store.locate(layer, id)).placement,
      pointDrawn: async (layer, id) => {
        const { placement } = await store.locate(layer, id);
        const ids = pointLayerIds(layer);
        if (placement.kind === 'marker')
          return rendered([ids.points]).some((f) => f.properties.id === id);
        if (placement.kind === 'cluster')
          return rendered([ids.clusters]).some(
            (f) => Number(f.properties.cluster_id) === placement.clusterId,
          );
        return false;
      },
      unitScreenPoint: (code) => {
        const label = latest.current.units.find((u) => u.properties.code === code)?.properties
          .label;
        if (!label) return null;
        const p = map.project(label);
        return { x: p.x, y: p.y };
      },
      stats: () => ({ ...store.stats }),
      pointCounts: () => store.getCounts(),
    };
    return () => {
      delete window.__frontlineMap;
    };
  }, [props.testHooks, ready, props.store]);

  // Until its layers are on, the map is kept out of sight (the panel says it is loading): it
  // has only its background to show, and where WebGL is drawn by the CPU (no GPU, a virtual
  // desktop) each frame shown costs 100-400 ms of the page's main thread to read back, with
  // several before the layers (the style, the fit, the page settling around the map).
  return (
    <>
      <div
        ref={container}
        className={ready ? 'map-canvas' : 'map-canvas is-loading'}
        data-testid="map"
        data-ready={ready && drawn}
        data-view-unit={view}
        data-mode={props.mode}
        role="region"
        aria-label={props.label}
        aria-busy={!(ready && drawn)}
      />
      {!ready && <p className="map-status">{props.loadingLabel}</p>}
    </>
  );
}
