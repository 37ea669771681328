import type { DataSource } from 'typeorm';
import { escapeHtml } from '../public-duty/duty-page';

interface DistrictOutline {
  code: string;
  name: string;
  /** SVG path data in degrees (x = longitude, y = -latitude), from PostGIS ST_AsSVG. */
  d: string;
}

/** About 400 m: enough to tap a district on a phone; keeps the file around 20 KB gzipped. */
const SIMPLIFY_DEGREES = 0.004;

/**
 * The citizen form's map: the outlines of the root unit's children as one inline SVG, drawn in
 * degrees inside a group whose transform corrects the longitude scale at that latitude, so the
 * page turns a tap back into a point with the group's screen matrix (no map library, no tiles,
 * nothing from another host). Each district is a path with its code (a tap on it picks the unit).
 */
export async function renderDistrictMap(dataSource: DataSource, rootCode: string): Promise<string> {
  const rows = (await dataSource.query(
    `SELECT code, name, ST_AsSVG(ST_SimplifyPreserveTopology(geom, $2), 0, 4) AS d
     FROM admin_units WHERE parent_code = $1 AND geom IS NOT NULL ORDER BY name`,
    [rootCode, SIMPLIFY_DEGREES],
  )) as DistrictOutline[];
  const [box] = (await dataSource.query(
    `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
     FROM (SELECT ST_Extent(geom) AS e FROM admin_units WHERE parent_code = $1) s`,
    [rootCode],
  )) as { x0: number | null; y0: number; x1: number; y1: number }[];
  if (!box || box.x0 === null || rows.length === 0) return '';
  const k = Math.cos((((box.y0 + box.y1) / 2) * Math.PI) / 180);
  const pad = 0.02;
  const view = [(box.x0 - pad) * k, -box.y1 - pad, (box.x1 - box.x0 + 2 * pad) * k, box.y1 - box.y0 + 2 * pad]
    .map((n) => n.toFixed(4))
    .join(' ');
  const paths = rows
    .map((r) => `<path data-code="${escapeHtml(r.code)}" d="${r.d}"><title>${escapeHtml(r.name)}</title></path>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${view}" role="img" data-testid="report-map-svg"><g transform="scale(${k.toFixed(5)} 1)">${paths}</g></svg>`;
}
