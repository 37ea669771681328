import type { DataSource, QueryRunner } from 'typeorm';
import type { UnitLevel } from '@frontline/contracts';
import {
  duplicateCodeProblems,
  type ExistingUnit,
  GeoImportError,
  type IndexedFeature,
  parseUnitCollection,
  planUnitTree,
} from './unit-geojson';

export { GeoImportError } from './unit-geojson';

export interface ImportUnitsOptions {
  /** Stored as geometry_source when a feature has no `source` property. */
  source?: string;
  /**
   * Leave alone every stored unit that is not approximate (the demo seed: official data
   * imported earlier always wins over the approximate seed).
   */
  keepOfficial?: boolean;
  /** Check and apply everything, then roll back: the summary says what would happen. */
  dryRun?: boolean;
}

export interface ImportUnitsSummary {
  inserted: number;
  updated: number;
  /** In the file, already stored exactly so. */
  unchanged: number;
  /** Updated units that were approximate and are not any more. */
  replacedApproximate: number;
  /** Units not in the file whose path changed because an ancestor moved. */
  descendantsMoved: number;
  /** In the file but left alone because of `keepOfficial`. */
  skippedOfficial: number;
  dryRun: boolean;
}

/** Features per statement when staging geometries (one JSON parameter each). */
const STAGE_CHUNK = 200;
/**
 * Planar area (square degrees) under which a polygon is a line that floating point made into a
 * polygon, not a unit: about 1 m² at Vietnam's latitudes. Planar on purpose: on the sphere
 * (geography) three points on a straight lon/lat line enclose a real area.
 */
const MIN_AREA_DEG2 = 1e-10;

/**
 * Validates a unit FeatureCollection against the stored tree and applies it in ONE transaction:
 * units are upserted (paths computed from their parents, parents first), their geometry made
 * valid and multi, their label point put on the surface; descendants of a moved unit get their
 * new path. Any problem rolls everything back and throws GeoImportError listing the problems.
 */
export async function importUnits(
  dataSource: DataSource,
  input: unknown,
  options: ImportUnitsOptions = {},
): Promise<ImportUnitsSummary> {
  const collection = parseUnitCollection(input); // shape problems: no database work at all
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // Imports queue behind each other and writers wait; readers are not blocked.
    await runner.query('LOCK TABLE admin_units IN SHARE ROW EXCLUSIVE MODE');
    const existing = await loadExisting(runner);

    const all: IndexedFeature[] = collection.features.map((feature, index) => ({ index, feature }));
    const isKept = (f: IndexedFeature) =>
      options.keepOfficial === true &&
      existing.get(f.feature.properties.code)?.approximate === false;
    const skipped = all.filter(isKept);
    const apply = all.filter((f) => !isKept(f));
    const plan = planUnitTree(apply, existing);
    const problems = [...new Set([...duplicateCodeProblems(all), ...plan.problems])];
    if (problems.length > 0) throw new GeoImportError(problems);

    await stageFeatures(runner, apply, plan.paths, options.source ?? 'import');
    const written = await upsertStaged(runner);
    const descendantsMoved = await movePaths(
      runner,
      existing,
      plan.paths,
      new Set(apply.map((f) => f.feature.properties.code)),
    );

    const replacedApproximate = apply.filter((f) => {
      const before = existing.get(f.feature.properties.code);
      return before?.approximate === true && (f.feature.properties.approximate ?? false) === false;
    }).length;
    const summary: ImportUnitsSummary = {
      inserted: written.inserted,
      updated: written.updated,
      unchanged: apply.length - written.inserted - written.updated,
      replacedApproximate,
      descendantsMoved,
      skippedOfficial: skipped.length,
      dryRun: options.dryRun ?? false,
    };
    if (options.dryRun) await runner.rollbackTransaction();
    else await runner.commitTransaction();
    return summary;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    if (err instanceof GeoImportError) throw err;
    throw new GeoImportError([`database: ${(err as Error).message}`], { cause: err });
  } finally {
    await runner.release();
  }
}

async function loadExisting(runner: QueryRunner): Promise<Map<string, ExistingUnit>> {
  const rows: {
    code: string;
    parent_code: string | null;
    level: UnitLevel;
    path: string[];
    approximate: boolean;
  }[] = await runner.query('SELECT code, parent_code, level, path, approximate FROM admin_units');
  return new Map(
    rows.map((r) => [
      r.code,
      {
        code: r.code,
        parentCode: r.parent_code,
        level: r.level,
        path: r.path,
        approximate: r.approximate,
      },
    ]),
  );
}

/**
 * Parses, repairs and checks every geometry in PostGIS into a temporary table. A chunk that
 * fails is retried feature by feature so the message names the feature.
 */
async function stageFeatures(
  runner: QueryRunner,
  features: IndexedFeature[],
  paths: Map<string, string[]>,
  defaultSource: string,
): Promise<void> {
  await runner.query(`
    CREATE TEMP TABLE unit_import_stage (
      idx         integer PRIMARY KEY,
      code        text NOT NULL,
      name        text NOT NULL,
      level       text NOT NULL,
      parent_code text,
      path        text[] NOT NULL,
      approximate boolean NOT NULL,
      source      text NOT NULL,
      geom        geometry
    ) ON COMMIT DROP`);
  const rows = features.map(({ index, feature: { properties: p, geometry } }) => ({
    idx: index,
    code: p.code,
    name: p.name,
    level: p.level,
    parent_code: p.parentCode,
    path: paths.get(p.code),
    approximate: p.approximate ?? false,
    source: p.source ?? defaultSource,
    geometry,
  }));
  const problems: string[] = [];
  for (let start = 0; start < rows.length; start += STAGE_CHUNK) {
    const chunk = rows.slice(start, start + STAGE_CHUNK);
    if (await tryStage(runner, chunk)) continue;
    for (const row of chunk) {
      const error = await tryStage(runner, [row]);
      if (error !== true)
        problems.push(`features[${row.idx}].geometry: not readable by PostGIS (${error})`);
    }
  }
  const bad: { idx: number }[] = await runner.query(
    `SELECT idx FROM unit_import_stage
     WHERE geom IS NULL OR ST_IsEmpty(geom) OR ST_Area(geom) < $1
     ORDER BY idx`,
    [MIN_AREA_DEG2],
  );
  for (const { idx } of bad) {
    problems.push(
      `features[${idx}].geometry: no area left after repair (empty, or its rings are degenerate: about 1 m² or less)`,
    );
  }
  if (problems.length > 0) throw new GeoImportError(problems.sort(byFeatureIndex));
}

/** Returns true, or the PostgreSQL message; a failure only undoes its own savepoint. */
async function tryStage(runner: QueryRunner, rows: object[]): Promise<true | string> {
  await runner.query('SAVEPOINT unit_stage');
  try {
    // ST_MakeValid may return a collection with lines or points beside the polygons: only the
    // polygonal part (type 3) is kept, and Z is dropped (the column is 2-D).
    await runner.query(
      `INSERT INTO unit_import_stage (idx, code, name, level, parent_code, path, approximate, source, geom)
       SELECT r.idx, r.code, r.name, r.level, r.parent_code, r.path, r.approximate, r.source,
              ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Force2D(
                ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326))), 3))
       FROM jsonb_to_recordset($1::jsonb) AS r(
         idx integer, code text, name text, level text, parent_code text, path text[],
         approximate boolean, source text, geometry jsonb)`,
      [JSON.stringify(rows)],
    );
    await runner.query('RELEASE SAVEPOINT unit_stage');
    return true;
  } catch (err) {
    await runner.query('ROLLBACK TO SAVEPOINT unit_stage');
    return (err as Error).message;
  }
}

function byFeatureIndex(a: string, b: string): number {
  const index = (s: string) => Number(/^features\[(\d+)\]/.exec(s)?.[1] ?? -1);
  return index(a) - index(b);
}

/** Inserts new units and updates changed ones; a unit already stored exactly so is not touched. */
async function upsertStaged(runner: QueryRunner): Promise<{ inserted: number; updated: number }> {
  // Foreign keys are checked at the end of the statement, so parents and children may come
  // in one statement; the ORDER BY keeps it parent-first all the same.
  const rows: { inserted: boolean }[] = await runner.query(`
    INSERT INTO admin_units AS u
      (code, name, level, parent_code, path, geom, label_point, approximate, geometry_source, updated_at)
    SELECT code, name, level, parent_code, path, geom, ST_PointOnSurface(geom), approximate, source, now()
    FROM unit_import_stage
    ORDER BY array_length(path, 1), idx
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      level = EXCLUDED.level,
      parent_code = EXCLUDED.parent_code,
      path = EXCLUDED.path,
      geom = EXCLUDED.geom,
      label_point = EXCLUDED.label_point,
      approximate = EXCLUDED.approximate,
      geometry_source = EXCLUDED.geometry_source,
      updated_at = now()
    WHERE (u.name, u.level, u.parent_code, u.path, u.approximate, u.geometry_source)
            IS DISTINCT FROM
          (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code, EXCLUDED.path, EXCLUDED.approximate,
           EXCLUDED.geometry_source)
       OR ST_AsEWKB(u.geom) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.geom)
    RETURNING (xmax = 0) AS inserted`);
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/** New paths for stored units outside the file whose ancestor moved. */
async function movePaths(
  runner: QueryRunner,
  existing: Map<string, ExistingUnit>,
  paths: Map<string, string[]>,
  inFile: Set<string>,
): Promise<number> {
  const moved: Record<string, string[]> = {};
  for (const [code, unit] of existing) {
    if (inFile.has(code)) continue;
    const path = paths.get(code);
    if (path && path.join('\u0000') !== unit.path.join('\u0000')) moved[code] = path;
  }
  const count = Object.keys(moved).length;
  if (count === 0) return 0;
  await runner.query(
    `UPDATE admin_units u
     SET path = ARRAY(SELECT jsonb_array_elements_text(m.value)), updated_at = now()
     FROM jsonb_each($1::jsonb) AS m
     WHERE u.code = m.key`,
    [JSON.stringify(moved)],
  );
  return count;
}
