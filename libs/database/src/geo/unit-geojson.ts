import { z } from 'zod';
import { UNIT_LEVELS, type UnitLevel, unitCodeSchema } from '@frontline/contracts';
import type { MultiPolygon, Polygon } from 'geojson';

/**
 * The file format of `npm run geo:import` and of the demo seed: a GeoJSON FeatureCollection,
 * one feature per administrative unit, of any depth.
 *
 *   properties.code        string, the unit's code (GSO code for Vietnamese units)
 *   properties.name        string
 *   properties.level       one of UNIT_LEVELS
 *   properties.parentCode  null for a root, else a code in the same file or already in the DB
 *   properties.approximate optional boolean, default false (official data)
 *   properties.source      optional string, stored as geometry_source
 *   geometry               Polygon or MultiPolygon, WGS 84 longitude/latitude
 *
 * Other properties are allowed and ignored. Problems are reported as
 * `features[12].properties.code: required`, all of them at once.
 */

/** Every problem found in an import, so the operator can fix the file in one pass. */
export class GeoImportError extends Error {
  constructor(
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(GeoImportError.describe(problems), options);
    this.name = 'GeoImportError';
  }

  static describe(problems: string[], shown = 20): string {
    const head = problems.slice(0, shown).map((p) => `  - ${p}`);
    const more = problems.length > shown ? [`  ... and ${problems.length - shown} more`] : [];
    const noun = problems.length === 1 ? 'problem' : 'problems';
    return [
      `unit import rejected, nothing changed (${problems.length} ${noun}):`,
      ...head,
      ...more,
    ].join('\n');
  }
}

/** Codes follow the contracts (`unitCodeSchema`): the api and the console read them too. */
const codeSchema = unitCodeSchema;

const geometrySchema = z
  .looseObject({
    type: z.enum(['Polygon', 'MultiPolygon'], {
      error: (iss) =>
        iss.input === undefined
          ? 'required'
          : `expected Polygon or MultiPolygon, got ${JSON.stringify(iss.input)}`,
    }),
    coordinates: z.unknown(),
  })
  .superRefine((geometry, ctx) => {
    const problem = checkCoordinates(geometry.type, geometry.coordinates);
    if (problem) {
      const path = ['coordinates', ...problem.path];
      ctx.addIssue({ code: 'custom', path, message: problem.message });
    }
  });

export const unitPropertiesSchema = z.looseObject({
  code: codeSchema,
  name: z.string().trim().min(1, 'must not be empty'),
  level: z.enum(UNIT_LEVELS, {
    error: (iss) =>
      iss.input === undefined
        ? 'required'
        : `expected one of ${UNIT_LEVELS.join(', ')}, got ${JSON.stringify(iss.input)}`,
  }),
  parentCode: codeSchema.nullable(),
  approximate: z.boolean().optional(),
  source: z.string().max(500).optional(),
});

export const unitFeatureSchema = z.looseObject({
  type: z.literal('Feature'),
  properties: unitPropertiesSchema,
  geometry: geometrySchema,
});

/** Old-style (2008) GeoJSON may name its CRS; only WGS 84 longitude/latitude is accepted. */
const WGS84_NAMES =
  /^(urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:EPSG::4326|EPSG:4326|CRS84)$/i;
const crsSchema = z
  .looseObject({ properties: z.looseObject({ name: z.string() }).optional() })
  .refine((crs) => WGS84_NAMES.test(crs.properties?.name ?? ''), {
    error: (iss) => {
      const name = (iss.input as { properties?: { name?: unknown } } | undefined)?.properties?.name;
      return `coordinates must be WGS 84 longitude/latitude (CRS84, EPSG:4326), the file says ${JSON.stringify(name ?? null)}: reproject it first`;
    },
  });

export const unitFeatureCollectionSchema = z.looseObject({
  type: z.literal('FeatureCollection'),
  crs: crsSchema.optional(),
  features: z.array(unitFeatureSchema).min(1, 'the file has no features'),
});

export type UnitProperties = z.infer<typeof unitPropertiesSchema>;
export interface UnitFeature {
  type: 'Feature';
  properties: UnitProperties;
  geometry: Polygon | MultiPolygon;
}
export interface UnitFeatureCollection {
  type: 'FeatureCollection';
  features: UnitFeature[];
}

/** A unit already stored, as the tree checks need it. */
export interface ExistingUnit {
  code: string;
  parentCode: string | null;
  level: UnitLevel;
  path: string[];
  approximate: boolean;
}

/** `['features', 12, 'properties', 'code']` -> `features[12].properties.code`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(file)';
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Checks the shape only (schema, coordinates); tree checks need the database, see planUnitTree. */
export function parseUnitCollection(input: unknown): UnitFeatureCollection {
  const result = unitFeatureCollectionSchema.safeParse(input, {
    error: (iss) => {
      if (iss.code !== 'invalid_type' && iss.code !== 'invalid_value') return undefined;
      if (iss.input === undefined) return 'required';
      if (iss.code === 'invalid_value')
        return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${JSON.stringify(iss.input)}`;
      const last = iss.path?.[iss.path.length - 1];
      if ((last === 'code' || last === 'parentCode') && typeof iss.input === 'number') {
        return 'expected a string, got a number (write codes as strings so leading zeros survive)';
      }
      return `expected ${iss.expected === 'object' ? 'an object' : iss.expected}, got ${describeType(iss.input)}`;
    },
  });
  if (!result.success) {
    throw new GeoImportError(result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  }
  return result.data as UnitFeatureCollection;
}

interface CoordinateProblem {
  path: number[];
  message: string;
}

/** One problem per geometry at most: a bad file should not produce a million lines. */
function checkCoordinates(
  type: 'Polygon' | 'MultiPolygon',
  coordinates: unknown,
): CoordinateProblem | null {
  if (!Array.isArray(coordinates))
    return {
      path: [],
      message: `required: an array of ${type === 'Polygon' ? 'rings' : 'polygons'}`,
    };
  if (coordinates.length === 0) return { path: [], message: 'empty geometry' };
  if (type === 'Polygon') return checkPolygon(coordinates, []);
  for (const [i, poly] of coordinates.entries()) {
    if (!Array.isArray(poly)) return { path: [i], message: 'expected an array of rings' };
    const problem = checkPolygon(poly, [i]);
    if (problem) return problem;
  }
  return null;
}

function checkPolygon(rings: unknown[], at: number[]): CoordinateProblem | null {
  if (rings.length === 0) return { path: at, message: 'polygon without rings' };
  for (const [r, ring] of rings.entries()) {
    const ringAt = [...at, r];
    if (!Array.isArray(ring)) return { path: ringAt, message: 'expected an array of positions' };
    if (ring.length < 4)
      return { path: ringAt, message: `a ring needs at least 4 positions, got ${ring.length}` };
    for (const [p, position] of ring.entries()) {
      const problem = checkPosition(position);
      if (problem) return { path: [...ringAt, p], message: problem };
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return {
        path: ringAt,
        message: 'ring is not closed (its last position must equal its first)',
      };
    }
  }
  return null;
}

function checkPosition(position: unknown): string | null {
  if (!Array.isArray(position) || position.length < 2)
    return 'expected a position [longitude, latitude]';
  const [lon, lat] = position as unknown[];
  if (
    typeof lon !== 'number' ||
    !Number.isFinite(lon) ||
    typeof lat !== 'number' ||
    !Number.isFinite(lat)
  ) {
    return 'longitude and latitude must be finite numbers';
  }
  if (position.slice(2).some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    return 'extra coordinates (altitude) must be finite numbers';
  }
  const hint =
    Math.abs(lon) > 180 && Math.abs(lat) > 90
      ? ' (projected coordinates? reproject to WGS 84 longitude/latitude, EPSG:4326, first)'
      : Math.abs(lat) > 90 && Math.abs(lon) <= 90
        ? ' (are longitude and latitude swapped? GeoJSON is [longitude, latitude])'
        : '';
  if (lon < -180 || lon > 180) return `longitude ${lon} out of range [-180, 180]${hint}`;
  if (lat < -90 || lat > 90) return `latitude ${lat} out of range [-90, 90]${hint}`;
  return null;
}

/** A feature kept with its index in the file, for messages. */
export interface IndexedFeature {
  index: number;
  feature: UnitFeature;
}

export interface UnitTreePlan {
  problems: string[];
  /** The path of every unit of the resulting tree (file and database), root first. */
  paths: Map<string, string[]>;
}

/** A code may appear once per file. */
export function duplicateCodeProblems(features: readonly IndexedFeature[]): string[] {
  const problems: string[] = [];
  const first = new Map<string, number>();
  for (const { index, feature } of features) {
    const code = feature.properties.code;
    const earlier = first.get(code);
    if (earlier === undefined) first.set(code, index);
    else
      problems.push(
        `features[${index}].properties.code: duplicate code "${code}" (also features[${earlier}])`,
      );
  }
  return problems;
}

const LEVEL_RANK = new Map<string, number>(UNIT_LEVELS.map((level, i) => [level, i]));

/**
 * Checks the tree that would result from applying `features` over `existing`: duplicate codes,
 * parents found nowhere, parent cycles (also through units already stored), a unit under a
 * parent of the same or a lower level. Computes every resulting path.
 */
export function planUnitTree(
  features: readonly IndexedFeature[],
  existing: ReadonlyMap<string, ExistingUnit>,
): UnitTreePlan {
  const problems = duplicateCodeProblems(features);
  const at = (f: IndexedFeature, field: string) => `features[${f.index}].properties.${field}`;
  const byCode = new Map<string, IndexedFeature>();
  for (const f of features) {
    if (!byCode.has(f.feature.properties.code)) byCode.set(f.feature.properties.code, f);
  }

  // The resulting tree: stored units, overlaid with the file.
  const parentOf = new Map<string, string | null>();
  const levelOf = new Map<string, string>();
  for (const u of existing.values()) {
    parentOf.set(u.code, u.parentCode);
    levelOf.set(u.code, u.level);
  }
  for (const [code, f] of byCode) {
    parentOf.set(code, f.feature.properties.parentCode);
    levelOf.set(code, f.feature.properties.level);
  }

  for (const [code, f] of byCode) {
    const parent = f.feature.properties.parentCode;
    if (parent === null) continue;
    if (parent === code) continue; // reported as a cycle below
    if (!parentOf.has(parent)) {
      problems.push(
        `${at(f, 'parentCode')}: parent "${parent}" is neither in the file nor in the database`,
      );
    } else {
      const parentLevel = levelOf.get(parent) as string;
      const level = f.feature.properties.level;
      if ((LEVEL_RANK.get(level) ?? 0) <= (LEVEL_RANK.get(parentLevel) ?? 0)) {
        problems.push(`${at(f, 'level')}: a ${level} cannot be under ${parentLevel} "${parent}"`);
      }
    }
  }
  // Stored children of a unit whose level the file changes must stay below it.
  for (const u of existing.values()) {
    if (u.parentCode === null || byCode.has(u.code)) continue;
    const parent = byCode.get(u.parentCode);
    if (!parent) continue;
    const parentLevel = parent.feature.properties.level;
    if ((LEVEL_RANK.get(u.level) ?? 0) <= (LEVEL_RANK.get(parentLevel) ?? 0)) {
      problems.push(
        `${at(parent, 'level')}: stored unit "${u.code}" (${u.level}) is under "${u.parentCode}", which cannot become a ${parentLevel}`,
      );
    }
  }

  const paths = new Map<string, string[]>();
  const broken = new Set<string>(); // in a cycle or below a missing parent
  for (const start of parentOf.keys()) {
    if (paths.has(start) || broken.has(start)) continue;
    // Walk up until a unit with a known path, a root, a missing parent or a cycle.
    const chain: string[] = [];
    const seen = new Set<string>();
    let cursor: string | null = start;
    let base: string[] | null = [];
    while (cursor !== null) {
      const known = paths.get(cursor);
      if (known) {
        base = known;
        break;
      }
      if (broken.has(cursor) || !parentOf.has(cursor)) {
        base = null; // already reported (cycle or missing parent)
        break;
      }
      if (seen.has(cursor)) {
        let loop = chain.slice(chain.indexOf(cursor));
        loop.forEach((c) => broken.add(c));
        const culprit = loop.map((c) => byCode.get(c)).find((f) => f !== undefined);
        const where = culprit ? at(culprit, 'parentCode') : 'features';
        if (culprit) {
          const from = loop.indexOf(culprit.feature.properties.code);
          loop = [...loop.slice(from), ...loop.slice(0, from)]; // start the story at the file
        }
        const cycle = [...loop, loop[0]].join(' -> ');
        problems.push(`${where}: parent cycle ${cycle} (each arrow points to the parent)`);
        base = null;
        break;
      }
      seen.add(cursor);
      chain.push(cursor);
      cursor = parentOf.get(cursor) ?? null;
    }
    if (base === null) {
      chain.forEach((c) => broken.add(c));
      continue;
    }
    // chain is child-first: fill the paths from the top down.
    let path = base;
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      path = [...path, chain[i]];
      paths.set(chain[i], path);
    }
  }
  return { problems, paths };
}

/** Shape and tree checks together; throws GeoImportError listing every problem. */
export function validateUnitCollection(
  input: unknown,
  existing: ReadonlyMap<string, ExistingUnit> = new Map(),
): UnitFeatureCollection {
  const collection = parseUnitCollection(input);
  const { problems } = planUnitTree(
    collection.features.map((feature, index) => ({ index, feature })),
    existing,
  );
  if (problems.length > 0) throw new GeoImportError(problems);
  return collection;
}
