import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SimUnit, unitsFromGeoJson } from '@frontline/simulation';
import { SetupError } from './args';

/** District seats, populations and (approximate) shapes: the demo seed's GeoJSON. */
export const SEED_GEOJSON = resolve(
  __dirname,
  '../../libs/database/src/seeds/data/quang-ninh.units.geojson',
);

export function loadSeedUnits(file = SEED_GEOJSON): SimUnit[] {
  const units = unitsFromGeoJson(JSON.parse(readFileSync(file, 'utf8')));
  if (!units.length) throw new Error(`${file}: no unit with a seat`);
  return units;
}

/**
 * The seed units the run may use: those the account can see (GET /api/v1/units; null in a
 * dry run), narrowed to --units when given. Throws a SetupError saying why when none is left.
 */
export function selectUnits(
  all: SimUnit[],
  visible: Set<string> | null,
  only?: string[],
): SimUnit[] {
  if (only) {
    const unknown = only.filter((code) => !all.some((u) => u.code === code));
    if (unknown.length) {
      const known = all.map((u) => u.code).join(', ');
      throw new SetupError(
        `--units: no district with code ${unknown.join(', ')} (known: ${known})`,
      );
    }
    const outside = visible ? only.filter((code) => !visible.has(code)) : [];
    if (outside.length) {
      throw new SetupError(`--units: ${outside.join(', ')} outside this account's jurisdiction`);
    }
  }
  const chosen = all.filter(
    (u) => (!visible || visible.has(u.code)) && (!only || only.includes(u.code)),
  );
  if (!chosen.length) {
    throw new SetupError(
      "none of the seed's district-level units is in this account's jurisdiction; " +
        'use a province or district account',
    );
  }
  return chosen;
}
