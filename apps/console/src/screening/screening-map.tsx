import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { GeoJSONSource, Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { ScreeningSiteStatus, UnitsGeoJson } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import { COLOURS } from '../map/layers';
import { baseStyle, geometryBounds, unitPolygons } from '../map/style';
import type { Bounds } from '../map/style';
import {
  SCREENING_CLUSTER_MAX_ZOOM,
  SCREENING_CLUSTER_PROPERTIES,
  SCREENING_CLUSTER_RADIUS,
  SCREENING_LAYER_IDS,
  SCREENING_SOURCE,
  STATUS_COLOURS,
  screeningLayers,
} from './screening-layers';

setWorkerUrl(workerUrl);

const OUTLINE_SOURCE = 'fl-screening-units';
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function sitesGeoJson(sites: readonly ScreeningSiteStatus[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: sites.map((s) => ({
      type: 'Feature',
      properties: { id: s.id, name: s.name, status: s.status },
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    })),
  };
}

function boundsOf(sites: readonly ScreeningSiteStatus[], units: UnitsGeoJson | undefined): Bounds | null {
  const root = units?.features.find((f) => f.geometry !== null);
  const fromUnit = root ? geometryBounds(root.geometry) : null;
  if (fromUnit) return fromUnit;
  if (!sites.length) return null;
  const b: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const s of sites) {
    b[0] = Math.min(b[0], s.lon);
    b[1] = Math.min(b[1], s.lat);
    b[2] = Math.max(b[2], s.lon);
    b[3] = Math.max(b[3], s.lat);
  }
  return b;
}

/**
 * The sites of the board on the console's offline map style (or the operator's basemap),
 * clustered, coloured by state; the whole data set is replaced in one setData per refresh.
 */
export function ScreeningMap({
  sites,
  units,
  basemapStyleUrl,
}: {
  sites: readonly ScreeningSiteStatus[];
  units: UnitsGeoJson | undefined;
  basemapStyleUrl: string | null | undefined;
}) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement | null>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const fitted = useRef(false);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const map = new MapLibreMap({
      container: element,
      style: baseStyle(basemapStyleUrl),
      center: [107.3, 21.1],
      zoom: 7,
      minZoom: 3,
      maxZoom: 16,
      dragRotate: false,
      pitchWithRotate: false,
      attributionControl: false,
      fadeDuration: 0,
    });
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    map.on('load', () => {
      map.addSource(OUTLINE_SOURCE, { type: 'geojson', data: EMPTY });
      map.addLayer({
        id: 'fl-screening-unit-lines',
        type: 'line',
        source: OUTLINE_SOURCE,
        paint: { 'line-color': COLOURS.unitLine, 'line-width': 1 },
      });
      map.addSource(SCREENING_SOURCE, {
        type: 'geojson',
        data: EMPTY,
        cluster: true,
        clusterRadius: SCREENING_CLUSTER_RADIUS,
        clusterMaxZoom: SCREENING_CLUSTER_MAX_ZOOM,
        clusterProperties: SCREENING_CLUSTER_PROPERTIES,
      });
      for (const layer of screeningLayers()) map.addLayer(layer);
      map.on('click', SCREENING_LAYER_IDS.clusters, (event) => {
        const feature = event.features?.[0];
        const clusterId = feature?.properties?.cluster_id as number | undefined;
        const source = map.getSource(SCREENING_SOURCE);
        if (typeof clusterId !== 'number' || !(source instanceof GeoJSONSource)) return;
        const at = (feature!.geometry as GeoJSON.Point).coordinates as [number, number];
        void source.getClusterExpansionZoom(clusterId).then((zoom) => map.easeTo({ center: at, zoom }));
      });
      setReady(true);
    });
    return () => {
      setReady(false);
      fitted.current = false;
      mapRef.current = null;
      map.remove();
    };
  }, [basemapStyleUrl]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    void (map.getSource(SCREENING_SOURCE) as GeoJSONSource | undefined)?.setData(sitesGeoJson(sites));
    void (map.getSource(OUTLINE_SOURCE) as GeoJSONSource | undefined)?.setData(
      units ? unitPolygons(units.features) : EMPTY,
    );
    const bounds = boundsOf(sites, units);
    if (bounds && !fitted.current) {
      fitted.current = true;
      map.fitBounds(
        [
          [bounds[0], bounds[1]],
          [bounds[2], bounds[3]],
        ],
        { padding: 30, duration: 0, maxZoom: 12 },
      );
    }
  }, [ready, sites, units]);

  return (
    <div className="screening-map-wrap">
      <div
        ref={container}
        className="screening-map"
        data-testid="screening-map"
        data-ready={ready ? 'true' : 'false'}
        data-sites={sites.length}
        role="region"
        aria-label={t('screening.mapTitle')}
      />
      <ul className="screening-legend" aria-label={t('screening.legend')}>
        {(['overdue', 'due', 'ok'] as const).map((s) => (
          <li key={s}>
            <span className={`screening-swatch screening-swatch-${s}`} style={{ background: STATUS_COLOURS[s] }} />
            {t(`screening.status.${s}`)}
          </li>
        ))}
        <li>
          <span className="screening-swatch screening-swatch-cluster" />
          {t('screening.cluster')}
        </li>
      </ul>
    </div>
  );
}
