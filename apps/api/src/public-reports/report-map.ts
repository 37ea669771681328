import { escapeHtml } from '../public-duty/duty-page';
import type { UnitsRepository } from '../units/units.repository';

/** About 400 m: enough to tap a district on a phone; keeps the file around 20 KB gzipped. */
const SIMPLIFY_DEGREES = 0.004;

/**
 * The citizen form's map: the outlines of the root unit's children as one inline SVG, drawn in
 * degrees inside a group whose transform corrects the longitude scale at that latitude, so the
 * page turns a tap back into a point with the group's screen matrix (no map library, no tiles,
 * nothing from another host). Each district is a path with its code (a tap on it picks the unit).
 */
export async function renderDistrictMap(units: UnitsRepository, rootCode: string): Promise<string> {
  const rows = await units.childOutlinesSvg(rootCode, SIMPLIFY_DEGREES);
  const box = await units.childrenExtent(rootCode);
  if (!box || rows.length === 0) return '';
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
