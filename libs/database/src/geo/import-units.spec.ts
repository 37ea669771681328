import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { createDataSource, runMigrationsLocked } from '@frontline/database';
import { seedUnits, unitSeedFile } from '../seeds/units.seed';
import { GeoImportError, importUnits } from './import-units';
import { validateUnitCollection, type UnitProperties } from './unit-geojson';
import { ScratchDatabase } from '../testing/scratch-database';

const DISTRICT_CODES = [
  '193',
  '194',
  '195',
  '196',
  '198',
  '199',
  '200',
  '201',
  '202',
  '203',
  '205',
  '206',
  '207',
];

/** A square ring around a point; `size` in degrees. */
function square(lon: number, lat: number, size = 0.01): Polygon {
  const h = size / 2;
  const ring: Position[] = [
    [lon - h, lat - h],
    [lon + h, lat - h],
    [lon + h, lat + h],
    [lon - h, lat + h],
    [lon - h, lat - h],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}

type FeatureOverrides = Partial<UnitProperties> & {
  geometry?: unknown;
  properties?: Record<string, unknown>;
};

/** A unit feature with sensible defaults: a commune under Hạ Long, official, a small square. */
function unitFeature(code: string, overrides: FeatureOverrides = {}) {
  const { geometry, properties, ...props } = overrides;
  return {
    type: 'Feature',
    properties: properties ?? {
      code,
      name: `Unit ${code}`,
      level: 'commune',
      parentCode: '193',
      ...props,
    },
    geometry: geometry === undefined ? square(107.08, 20.95) : geometry,
  };
}

function collection(...features: unknown[]) {
  return { type: 'FeatureCollection', features };
}

/** Everything in the table, geometry and timestamps included. */
async function tableChecksum(ds: DataSource): Promise<string> {
  const [row] = await ds.query(
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY code), '')) AS sum
     FROM admin_units t`,
  );
  return `${row.n}:${row.sum}`;
}

async function rejection(promise: Promise<unknown>): Promise<GeoImportError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GeoImportError);
    return err as GeoImportError;
  }
  throw new Error('expected the import to be rejected');
}

describe('unit file validation (no database)', () => {
  it('names the feature index and field of each problem', () => {
    const bad = collection(
      unitFeature('193', { level: 'district', parentCode: '22' }),
      unitFeature('x', { properties: { name: 'No code', level: 'commune', parentCode: '193' } }),
      unitFeature('06001', { level: 'ward' as never }),
      unitFeature('06002', { geometry: { type: 'Point', coordinates: [107, 21] } }),
      unitFeature('06003', { geometry: square(200, 21) }),
      unitFeature('06004', {
        properties: { code: 6004, name: 'Numeric', level: 'commune', parentCode: '193' },
      }),
    );
    const err = (() => {
      try {
        validateUnitCollection(bad);
      } catch (e) {
        return e as GeoImportError;
      }
      throw new Error('expected a GeoImportError');
    })();
    expect(err.problems).toEqual(
      expect.arrayContaining([
        'features[1].properties.code: required',
        expect.stringMatching(/^features\[2\]\.properties\.level: expected one of .*got "ward"/),
        expect.stringMatching(/^features\[3\]\.geometry\.type: expected Polygon or MultiPolygon/),
        expect.stringMatching(
          /^features\[4\]\.geometry\.coordinates\[0\]\[0\]: longitude 199\.995 out of range/,
        ),
        expect.stringMatching(/^features\[5\]\.properties\.code: expected a string, got a number/),
      ]),
    );
    expect(err.message).toMatch(/nothing changed/);
  });

  it('accepts a WGS 84 crs member and rejects a projected one', () => {
    const named = (name: string) => ({
      ...collection(unitFeature('P', { level: 'province', parentCode: null })),
      crs: { type: 'name', properties: { name } },
    });
    expect(() => validateUnitCollection(named('urn:ogc:def:crs:OGC:1.3:CRS84'))).not.toThrow();
    expect(() => validateUnitCollection(named('EPSG:3405'))).toThrow(
      /crs: coordinates must be WGS 84.*"EPSG:3405"/,
    );
  });

  it('rejects a parent cycle, an unknown parent, a duplicate code and a level under its own kind', () => {
    const problemsOf = (input: unknown): string[] => {
      try {
        validateUnitCollection(input);
        return [];
      } catch (e) {
        return (e as GeoImportError).problems;
      }
    };
    expect(
      problemsOf(
        collection(
          unitFeature('A', { level: 'district', parentCode: 'B' }),
          unitFeature('B', { level: 'commune', parentCode: 'A' }),
        ),
      ),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/parent cycle A -> B -> A/)]));
    expect(problemsOf(collection(unitFeature('C', { parentCode: 'nowhere' })))).toEqual([
      'features[0].properties.parentCode: parent "nowhere" is neither in the file nor in the database',
    ]);
    expect(
      problemsOf(
        collection(
          unitFeature('P', { level: 'province', parentCode: null }),
          unitFeature('P', { level: 'province', parentCode: null }),
        ),
      ),
    ).toEqual(['features[1].properties.code: duplicate code "P" (also features[0])']);
    expect(
      problemsOf(
        collection(
          unitFeature('P', { level: 'province', parentCode: null }),
          unitFeature('Q', { level: 'province', parentCode: 'P' }),
        ),
      ),
    ).toEqual(['features[1].properties.level: a province cannot be under province "P"']);
  });

  it('accepts the committed seed file, which stays small', () => {
    const text = readFileSync(unitSeedFile(), 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThan(200_000);
    const parsed = validateUnitCollection(JSON.parse(text));
    expect(parsed.features.map((f) => f.properties.code)).toEqual(['22', ...DISTRICT_CODES]);
  });
});

describe('importUnits against PostgreSQL + PostGIS', () => {
  const scratch = new ScratchDatabase('fl_geo');
  let ds: DataSource;

  beforeAll(async () => {
    await scratch.create();
    ds = createDataSource(scratch.url, 4);
    await ds.initialize();
    await runMigrationsLocked(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await scratch.drop();
  });

  it('seeds the province and its 13 districts, districts approximate, every geometry non-empty', async () => {
    const summary = await seedUnits(ds);
    expect(summary).toMatchObject({ inserted: 14, updated: 0, replacedApproximate: 0 });

    const rows: {
      code: string;
      level: string;
      parent_code: string | null;
      path: string[];
      approximate: boolean;
      empty: boolean;
      label_inside: boolean;
    }[] = await ds.query(
      `SELECT code, level, parent_code, path, approximate, ST_IsEmpty(geom) AS empty,
              ST_Intersects(label_point, geom) AS label_inside
       FROM admin_units ORDER BY code::int`,
    );
    expect(rows).toHaveLength(14);
    expect(rows.every((r) => r.empty === false && r.label_inside)).toBe(true);
    const province = rows.find((r) => r.code === '22');
    expect(province).toMatchObject({
      level: 'province',
      parent_code: null,
      path: ['22'],
      approximate: false,
    });
    const districts = rows.filter((r) => r.code !== '22');
    expect(districts.map((r) => r.code)).toEqual(DISTRICT_CODES);
    for (const d of districts) {
      expect(d).toMatchObject({
        level: 'district',
        parent_code: '22',
        path: ['22', d.code],
        approximate: true,
      });
    }
  });

  it('puts each seat inside, or within 3 km of, its district (Cô Tô on its island)', async () => {
    const rows: { code: string; metres: number }[] = await ds.query(
      `SELECT u.code, ST_Distance(u.geom::geography, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)::geography) AS metres
       FROM admin_units u
       JOIN (VALUES ('207', 107.76, 20.98), ('193', 107.08, 20.95), ('203', 107.42, 21.07), ('194', 107.97, 21.53))
         AS s(code, lon, lat) ON s.code = u.code`,
    );
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.metres).toBeLessThan(3000);
    expect(rows.find((r) => r.code === '207')?.metres).toBe(0);
  });

  it('seeding twice changes nothing', async () => {
    const before = await tableChecksum(ds);
    const summary = await seedUnits(ds);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 13, skippedOfficial: 1 });
    expect(await tableChecksum(ds)).toBe(before);
  });

  it('imports a commune under a district and an official district geometry that replaces the approximate one', async () => {
    const official: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square(107.05, 20.98, 0.2).coordinates, square(107.3, 20.85, 0.05).coordinates],
    };
    const summary = await importUnits(
      ds,
      collection(
        // The child first: the importer orders parents before children itself.
        unitFeature('06658', {
          name: 'Hồng Gai',
          parentCode: '193',
          geometry: square(107.08, 20.955, 0.02),
        }),
        unitFeature('193', {
          name: 'Hạ Long',
          level: 'district',
          parentCode: '22',
          geometry: official,
        }),
      ),
      { source: 'official test file' },
    );
    expect(summary).toMatchObject({
      inserted: 1,
      updated: 1,
      replacedApproximate: 1,
      unchanged: 0,
    });

    const [district] = await ds.query(
      `SELECT approximate, geometry_source, ST_NumGeometries(geom) AS parts FROM admin_units WHERE code = '193'`,
    );
    expect(district).toEqual({
      approximate: false,
      geometry_source: 'official test file',
      parts: 2,
    });
    const [commune] = await ds.query(
      `SELECT path, level, approximate, GeometryType(geom) AS type, ST_Within(label_point, geom) AS label_inside
       FROM admin_units WHERE code = '06658'`,
    );
    expect(commune).toEqual({
      path: ['22', '193', '06658'],
      level: 'commune',
      approximate: false,
      type: 'MULTIPOLYGON',
      label_inside: true,
    });
  });

  it('repairs a self-intersecting polygon (bow tie) into a valid multipolygon', async () => {
    const bowTie: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [107.1, 21.0],
          [107.12, 21.02],
          [107.12, 21.0],
          [107.1, 21.02],
          [107.1, 21.0],
        ],
      ],
    };
    await importUnits(ds, collection(unitFeature('06661', { geometry: bowTie })));
    const [row] = await ds.query(
      `SELECT ST_IsValid(geom) AS valid, ST_NumGeometries(geom) AS parts, path FROM admin_units WHERE code = '06661'`,
    );
    expect(row).toEqual({ valid: true, parts: 2, path: ['22', '193', '06661'] });
  });

  describe('a bad file changes nothing', () => {
    const goodChange = () =>
      unitFeature('194', {
        name: 'Móng Cái',
        level: 'district',
        parentCode: '22',
        geometry: square(107.95, 21.5, 0.1),
      });
    const cases: [string, unknown, RegExp][] = [
      [
        'a geometry with no area (PostGIS repair leaves nothing)',
        collection(
          goodChange(),
          unitFeature('06700', {
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [107, 21],
                  [107.1, 21.1],
                  [107.2, 21.2],
                  [107, 21],
                ],
              ],
            },
          }),
        ),
        /^features\[1\]\.geometry: no area left after repair/,
      ],
      [
        'an unclosed ring',
        collection(
          goodChange(),
          unitFeature('06701', {
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [107, 21],
                  [107.1, 21],
                  [107.1, 21.1],
                  [107, 21.1],
                ],
              ],
            },
          }),
        ),
        /^features\[1\]\.geometry\.coordinates\[0\]: ring is not closed/,
      ],
      [
        'an unknown parent',
        collection(goodChange(), unitFeature('06702', { parentCode: '999' })),
        /^features\[1\]\.properties\.parentCode: parent "999" is neither in the file nor in the database/,
      ],
      [
        'a duplicate code',
        collection(goodChange(), unitFeature('06703'), unitFeature('06703')),
        /^features\[2\]\.properties\.code: duplicate code "06703" \(also features\[1\]\)/,
      ],
      [
        'a wrong level',
        collection(goodChange(), unitFeature('06704', { level: 'ward' as never })),
        /^features\[1\]\.properties\.level: expected one of/,
      ],
      [
        'a cycle through stored units (the province under its own district)',
        collection(
          goodChange(),
          unitFeature('22', { name: 'Quảng Ninh', level: 'province', parentCode: '193' }),
        ),
        /parent cycle 22 -> 193 -> 22/,
      ],
      ['no features at all', collection(), /^features: the file has no features/],
    ];

    it.each(cases)('%s', async (_name, file, expected) => {
      const before = await tableChecksum(ds);
      const err = await rejection(importUnits(ds, file));
      expect(err.problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
      expect(await tableChecksum(ds)).toBe(before);
    });

    it('a dry run reports what would change and writes nothing', async () => {
      const before = await tableChecksum(ds);
      const summary = await importUnits(ds, collection(goodChange()), { dryRun: true });
      expect(summary).toMatchObject({ updated: 1, replacedApproximate: 1, dryRun: true });
      expect(await tableChecksum(ds)).toBe(before);
    });
  });

  it('re-seeding after an official import keeps the official unit', async () => {
    const [before] = await ds.query(`SELECT t::text AS row FROM admin_units t WHERE code = '193'`);
    const summary = await seedUnits(ds);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, skippedOfficial: 2 });
    const [after] = await ds.query(
      `SELECT t::text AS row, approximate FROM admin_units t WHERE code = '193'`,
    );
    expect(after.row).toBe(before.row);
    expect(after.approximate).toBe(false);
  });

  it('moving a unit recomputes the paths of its stored descendants', async () => {
    // After the 2025 reform a district-level unit may hang under a new parent: move Cẩm Phả
    // (with a commune under it) under a new province listed after it in the file.
    await importUnits(
      ds,
      collection(unitFeature('06700', { parentCode: '195', geometry: square(107.29, 21.02) })),
    );
    const summary = await importUnits(
      ds,
      collection(
        unitFeature('195', {
          name: 'Cẩm Phả',
          level: 'district',
          parentCode: 'QN2',
          geometry: square(107.29, 21.02, 0.2),
        }),
        unitFeature('QN2', {
          name: 'Test province',
          level: 'province',
          parentCode: null,
          geometry: square(107.3, 21.0, 1),
        }),
      ),
    );
    expect(summary).toMatchObject({ inserted: 1, updated: 1, descendantsMoved: 1 });
    const rows: { code: string; path: string[] }[] = await ds.query(
      `SELECT code, path FROM admin_units WHERE code IN ('QN2', '195', '06700') ORDER BY array_length(path, 1)`,
    );
    expect(rows).toEqual([
      { code: 'QN2', path: ['QN2'] },
      { code: '195', path: ['QN2', '195'] },
      { code: '06700', path: ['QN2', '195', '06700'] },
    ]);
  });
});
