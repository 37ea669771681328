import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { GeoJSONSource, Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { UnitFeature } from '@frontline/contracts';
import { useUnitsGeo } from '../api/queries';
import type { Auth } from '../api/queries';
import { COLOURS } from '../map/layers';
import { buildOfflineStyle, geometryBounds, unitPolygons } from '../map/style';

export interface MapPin {
  id: string;
  lat: number;
  lon: number;
  kind: 'task' | 'person';
}

// MapLibre's worker from the console's own origin, as for the main map.
setWorkerUrl(workerUrl);

const UNIT_SOURCE = 'case-unit';
const PIN_SOURCE = 'case-pins';

function pinsGeoJson(pins: readonly MapPin[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: pins.map((p) => ({
      type: 'Feature',
      properties: { id: p.id, kind: p.kind },
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
    })),
  };
}

/**
 * A small map of a case's place: its unit shaded (dashed when the geometry is approximate) and
 * the places of its tasks, on the console's offline style (nothing fetched from outside).
 */
export function CaseMap({
  auth,
  unit,
  pins,
}: {
  auth: Auth;
  unit: string;
  pins: readonly MapPin[];
}) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const geo = useUnitsGeo(auth, unit);
  const feature: UnitFeature | undefined = geo.data?.features.find(
    (f) => f.properties.code === unit,
  );

  useEffect(() => {
    if (!container.current) return;
    const m = new MapLibreMap({
      container: container.current,
      style: buildOfflineStyle(),
      center: [107.3, 21.2],
      zoom: 7,
      attributionControl: false,
    });
    map.current = m;
    m.on('load', () => {
      m.addSource(UNIT_SOURCE, {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: [] },
      });
      m.addSource(PIN_SOURCE, {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: [] },
      });
      m.addLayer({
        id: 'case-unit-fill',
        type: 'fill',
        source: UNIT_SOURCE,
        paint: { 'fill-color': COLOURS.selected, 'fill-opacity': 0.15 },
      });
      // Approximate geometry is dashed (console-design.md).
      for (const approximate of [false, true]) {
        m.addLayer({
          id: approximate ? 'case-unit-line-approx' : 'case-unit-line',
          type: 'line',
          source: UNIT_SOURCE,
          filter: approximate ? ['get', 'approximate'] : ['!', ['get', 'approximate']],
          paint: {
            'line-color': COLOURS.selected,
            'line-width': 2,
            ...(approximate ? { 'line-dasharray': [2, 2] } : {}),
          },
        });
      }
      m.addLayer({
        id: 'case-pins',
        type: 'circle',
        source: PIN_SOURCE,
        paint: {
          'circle-radius': 7,
          'circle-color': ['match', ['get', 'kind'], 'person', COLOURS.critical, COLOURS.warning],
          'circle-stroke-color': COLOURS.markerEdge,
          'circle-stroke-width': 2,
        },
      });
      setReady(true);
    });
    return () => {
      setReady(false);
      map.current = null;
      m.remove();
    };
  }, []);

  // Data reaches the sources once the style is loaded, and again whenever it changes.
  useEffect(() => {
    const m = map.current;
    if (!m || !ready) return;
    void (m.getSource(UNIT_SOURCE) as GeoJSONSource | undefined)?.setData(
      unitPolygons(feature ? [feature] : []),
    );
    void (m.getSource(PIN_SOURCE) as GeoJSONSource | undefined)?.setData(pinsGeoJson(pins));
    const bounds = feature ? geometryBounds(feature.geometry) : null;
    if (bounds) m.fitBounds(bounds, { padding: 16, duration: 0 });
  }, [ready, feature, pins]);

  return (
    <div
      ref={container}
      className="case-map"
      data-testid="case-map"
      data-unit={unit}
      data-ready={ready && feature ? 'true' : 'false'}
    />
  );
}
