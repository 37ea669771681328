import { Area, LonLat, polygonsOf } from './geo';

/** A unit the simulator may put events in: a district-level unit with a seat. */
export interface SimUnit {
  code: string;
  name: string;
  /** Seat of the unit's government, [lon, lat]. */
  seat: LonLat;
  population: number;
  /** The unit's land, when the data has a geometry: simulated points stay inside it. */
  area?: Area;
}

interface FeatureLike {
  properties?: Record<string, unknown> | null;
  geometry?: { type: string; coordinates: unknown } | null;
}

function isLonLat(value: unknown): value is LonLat {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    Math.abs(value[0] as number) <= 180 &&
    Math.abs(value[1] as number) <= 90
  );
}

/**
 * The units of the seed GeoJSON (libs/database/src/seeds/data/*.units.geojson) that have a
 * `seat` [lon, lat]: in the Quảng Ninh seed, the 13 district-level units of 2021.
 */
export function unitsFromGeoJson(collection: unknown): SimUnit[] {
  const features = (collection as { features?: unknown })?.features;
  if (!Array.isArray(features)) throw new Error('not a GeoJSON FeatureCollection');
  const units: SimUnit[] = [];
  for (const feature of features as FeatureLike[]) {
    const p = feature.properties ?? {};
    if (typeof p.code !== 'string' || !isLonLat(p.seat)) continue;
    const polygons = polygonsOf(feature.geometry);
    units.push({
      code: p.code,
      name: typeof p.name === 'string' ? p.name : p.code,
      seat: p.seat,
      population:
        typeof p.population2019 === 'number' && p.population2019 > 0 ? p.population2019 : 50_000,
      ...(polygons.length ? { area: new Area(polygons) } : {}),
    });
  }
  return units;
}
