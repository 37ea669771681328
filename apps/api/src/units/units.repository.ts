import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UnitFeature, UnitLevel } from '@frontline/contracts';

/** A unit with its outline as GeoJSON, rounded for the screen. */
export interface UnitGeoRow {
  code: string;
  name: string;
  level: UnitLevel;
  parent_code: string | null;
  approximate: boolean;
  geometry: UnitFeature['geometry'];
  label_lon: number | null;
  label_lat: number | null;
  /** Only on the root unit of the read. */
  bbox: [number, number, number, number] | null;
}

/** Where units are (`admin_units` geometry, PostGIS); the tree itself is read by the spine's UnitDirectory. */
@Injectable()
export class UnitsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The root unit and its subtree, parents first, outlines simplified by `tolerance` degrees. */
  async subtreeOutlines(rootCode: string, tolerance: number, decimals: number): Promise<UnitGeoRow[]> {
    return (await this.dataSource.query(
      `SELECT code, name, level, parent_code, approximate,
              ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $2), ${decimals})::json AS geometry,
              round(ST_X(label_point)::numeric, ${decimals})::float8 AS label_lon,
              round(ST_Y(label_point)::numeric, ${decimals})::float8 AS label_lat,
              CASE WHEN code = $1 AND geom IS NOT NULL THEN ARRAY[
                round(ST_XMin(geom)::numeric, ${decimals}), round(ST_YMin(geom)::numeric, ${decimals}),
                round(ST_XMax(geom)::numeric, ${decimals}), round(ST_YMax(geom)::numeric, ${decimals})]::float8[]
              END AS bbox
       FROM admin_units WHERE path @> ARRAY[$1]::text[]
       ORDER BY array_length(path, 1), name`,
      [rootCode, tolerance],
    )) as UnitGeoRow[];
  }

  /** The deepest unit whose boundary covers the place, or undefined outside every boundary. */
  async deepestCovering(place: { lat: number; lon: number }): Promise<{ code: string; path: string[] } | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT code, path FROM admin_units
       WHERE geom IS NOT NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
       ORDER BY array_length(path, 1) DESC LIMIT 1`,
      [place.lon, place.lat],
    )) as { code: string; path: string[] }[];
    return rows[0];
  }

  /** The unit's label point (or a point on its surface), or undefined when the unit is unknown or has no geometry. */
  async labelPoint(code: string): Promise<{ code: string; path: string[]; lat: number; lon: number } | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT code, path, ST_Y(p) AS lat, ST_X(p) AS lon
       FROM (SELECT code, path, COALESCE(label_point, ST_PointOnSurface(geom)) AS p FROM admin_units WHERE code = $1) u
       WHERE p IS NOT NULL`,
      [code],
    )) as { code: string; path: string[]; lat: number; lon: number }[];
    return rows[0];
  }

  /** The unit's children with a geometry, by name, as SVG path data in degrees (y = -latitude), simplified by `tolerance` degrees. */
  async childOutlinesSvg(parentCode: string, tolerance: number): Promise<{ code: string; name: string; d: string }[]> {
    return (await this.dataSource.query(
      `SELECT code, name, ST_AsSVG(ST_SimplifyPreserveTopology(geom, $2), 0, 4) AS d
       FROM admin_units WHERE parent_code = $1 AND geom IS NOT NULL ORDER BY name`,
      [parentCode, tolerance],
    )) as { code: string; name: string; d: string }[];
  }

  /** The bounding box of the unit's children, or undefined when none has a geometry. */
  async childrenExtent(parentCode: string): Promise<{ x0: number; y0: number; x1: number; y1: number } | undefined> {
    const [box] = (await this.dataSource.query(
      `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
       FROM (SELECT ST_Extent(geom) AS e FROM admin_units WHERE parent_code = $1) s`,
      [parentCode],
    )) as { x0: number | null; y0: number; x1: number; y1: number }[];
    return box && box.x0 !== null ? { x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1 } : undefined;
  }
}
