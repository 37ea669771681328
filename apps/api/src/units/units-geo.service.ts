import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UnitFeature, UnitLevel, UnitsGeoJson } from '@frontline/contracts';

/** Units change only through `npm run geo:import`; a minute of staleness is harmless. */
const CACHE_MS = 60_000;
/**
 * Simplification tolerance in degrees (~20 m at 21°N): invisible at the zoom levels a command
 * centre uses for a district or a province, and it shrinks official boundaries, which come with
 * a vertex every few metres, several times over.
 */
const SIMPLIFY_TOLERANCE = 0.0002;
/** Decimals of every coordinate sent (~1 m). */
const DECIMALS = 5;

interface GeoRow {
  code: string;
  name: string;
  level: UnitLevel;
  parent_code: string | null;
  approximate: boolean;
  geometry: UnitFeature['geometry'];
  label_lon: number | null;
  label_lat: number | null;
  bbox: [number, number, number, number] | null;
}

/** The unit polygons of a subtree for the console's map, simplified for the screen and cached. */
@Injectable()
export class UnitsGeoService {
  private readonly cache = new Map<string, { expires: number; body: Promise<UnitsGeoJson> }>();

  constructor(private readonly dataSource: DataSource) {}

  /** The root unit and its whole subtree; the caller has checked the jurisdiction. */
  geo(rootCode: string): Promise<UnitsGeoJson> {
    const now = Date.now();
    const hit = this.cache.get(rootCode);
    if (hit && hit.expires > now) return hit.body;
    for (const [code, entry] of this.cache) if (entry.expires <= now) this.cache.delete(code);
    // The promise is cached, so concurrent consoles opening at once share one query.
    const body = this.load(rootCode);
    this.cache.set(rootCode, { expires: now + CACHE_MS, body });
    body.catch(() => this.cache.delete(rootCode));
    return body;
  }

  private async load(rootCode: string): Promise<UnitsGeoJson> {
    const rows: GeoRow[] = await this.dataSource.query(
      `SELECT code, name, level, parent_code, approximate,
              ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $2), ${DECIMALS})::json AS geometry,
              round(ST_X(label_point)::numeric, ${DECIMALS})::float8 AS label_lon,
              round(ST_Y(label_point)::numeric, ${DECIMALS})::float8 AS label_lat,
              CASE WHEN code = $1 AND geom IS NOT NULL THEN ARRAY[
                round(ST_XMin(geom)::numeric, ${DECIMALS}), round(ST_YMin(geom)::numeric, ${DECIMALS}),
                round(ST_XMax(geom)::numeric, ${DECIMALS}), round(ST_YMax(geom)::numeric, ${DECIMALS})]::float8[]
              END AS bbox
       FROM admin_units WHERE path @> ARRAY[$1]::text[]
       ORDER BY array_length(path, 1), name`,
      [rootCode, SIMPLIFY_TOLERANCE],
    );
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.code,
        properties: {
          code: r.code,
          name: r.name,
          level: r.level,
          parentCode: r.parent_code,
          approximate: r.approximate,
          label: r.label_lon !== null && r.label_lat !== null ? [r.label_lon, r.label_lat] : null,
        },
        geometry: r.geometry,
      })),
      bbox: rows.find((r) => r.code === rootCode)?.bbox ?? null,
    };
  }
}
