import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { importUnits, type ImportUnitsSummary } from '../geo/import-units';

const FILE_NAME = 'quang-ninh.units.geojson';

/**
 * The committed demo tree (Quảng Ninh and its 13 district-level units of 2021, districts
 * approximate), written by scripts/geo-extract.ts. Looked up beside this file first, then in
 * the source tree, so a build that did not copy the data still finds it from the repo root.
 */
export function unitSeedFile(): string {
  const candidates = [
    join(__dirname, 'data', FILE_NAME),
    resolve(process.cwd(), 'libs/database/src/seeds/data', FILE_NAME),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`unit seed data not found; looked in:\n  ${candidates.join('\n  ')}`);
  return found;
}

/**
 * Loads the demo unit tree. Never overwrites a unit that is already not approximate: official
 * boundaries imported with `npm run geo:import` win over the approximate seed. Seeding again
 * changes nothing.
 */
export async function seedUnits(
  dataSource: DataSource,
  file = unitSeedFile(),
): Promise<ImportUnitsSummary> {
  const collection: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return importUnits(dataSource, collection, { source: 'seed', keepOfficial: true });
}
