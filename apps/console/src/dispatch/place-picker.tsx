import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { UnitsGeoJson } from '@frontline/contracts';
import { COLOURS } from '../map/layers';
import { buildOfflineStyle, unitPolygons } from '../map/style';

setWorkerUrl(workerUrl);

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * A small map of the jurisdiction (the offline style: nothing fetched) to pick a call's place:
 * a click sets it, the marker shows it. The typed latitude and longitude beside it are the
 * keyboard way to the same value.
 */
export function PlacePicker({
  geo,
  place,
  onPick,
  label,
}: {
  geo: UnitsGeoJson | undefined;
  place: { lat: number; lon: number } | null;
  onPick: (place: { lat: number; lon: number }) => void;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    const map = new MapLibreMap({
      container: container.current,
      style: buildOfflineStyle(),
      center: [107.5, 21.2],
      zoom: 7,
      dragRotate: false,
      attributionControl: false,
      fadeDuration: 0,
    });
    mapRef.current = map;
    map.on('load', () => {
      map.addSource('pick-units', { type: 'geojson', data: EMPTY });
      map.addSource('pick-place', { type: 'geojson', data: EMPTY });
      map.addLayer({
        id: 'pick-units-line',
        type: 'line',
        source: 'pick-units',
        paint: { 'line-color': COLOURS.unitLine, 'line-width': 1 },
      });
      map.addLayer({
        id: 'pick-place',
        type: 'circle',
        source: 'pick-place',
        paint: {
          'circle-radius': 7,
          'circle-color': COLOURS.selected,
          'circle-stroke-color': COLOURS.markerEdge,
          'circle-stroke-width': 2,
        },
      });
      setReady(true);
    });
    map.on('click', (e) =>
      onPickRef.current({
        lat: Number(e.lngLat.lat.toFixed(6)),
        lon: Number(e.lngLat.lng.toFixed(6)),
      }),
    );
    return () => {
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
  }, []);

  // The units' outlines and the view fitted to them, once loaded.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !geo) return;
    void (map.getSource('pick-units') as GeoJSONSource | undefined)?.setData(
      unitPolygons(geo.features),
    );
    if (geo.bbox) map.fitBounds(geo.bbox, { padding: 8, duration: 0 });
  }, [geo, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const data: GeoJSON.FeatureCollection = place
      ? {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: {},
              geometry: { type: 'Point', coordinates: [place.lon, place.lat] },
            },
          ],
        }
      : EMPTY;
    void (map.getSource('pick-place') as GeoJSONSource | undefined)?.setData(data);
  }, [place, ready]);

  return (
    <div
      ref={container}
      className="dispatch-picker"
      role="img"
      aria-label={label}
      data-testid="dispatch-place-map"
    />
  );
}
