import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SimUnit, unitsFromGeoJson } from '../../libs/simulation/src';

/** District seats, populations and (approximate) shapes: the demo seed's GeoJSON. */
export const SEED_GEOJSON = resolve(__dirname, '../../libs/database/src/seeds/data/quang-ninh.units.geojson');

export function loadSeedUnits(file = SEED_GEOJSON): SimUnit[] {
  const units = unitsFromGeoJson(JSON.parse(readFileSync(file, 'utf8')));
  if (!units.length) throw new Error(`${file}: no unit with a seat`);
  return units;
}

/**
 * The seed units the run may use: those the account can see (GET /api/v1/units), narrowed
 * to --units when given. Throws with a readable reason when nothing is left.
 */
export function selectUnits(all: SimUnit[], visible: Set<string> | null, only?: string[]): SimUnit[] {
  if (only) {
    const unknown = only.filter((code) => !all.some((u) => u.code === code));
    if (unknown.length) {
      throw new Error(`--units: no district with code ${unknown.join(', ')} (known: ${all.map((u) => u.code).join(', ')})`);
    }
  }
  const chosen = all.filter((u) => (!visible || visible.has(u.code)) && (!only || only.includes(u.code)));
  if (!chosen.length) {
    throw new Error(
      visible
        ? 'none of the district-level units of the seed data is in this account\'s jurisdiction; use a province or district account'
        : 'no units selected',
    );
  }
  return chosen;
}
