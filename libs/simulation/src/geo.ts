/** Plane geometry good enough for placing simulated points a few kilometres apart. */

/** [longitude, latitude] in degrees, GeoJSON order. */
export type LonLat = [number, number];
/** Rings of a polygon: the outer ring first, then holes. */
export type PolygonRings = LonLat[][];

const KM_PER_DEGREE_LAT = 111.32;

/** The point moved by dx km east and dy km north (equirectangular; fine over a few km). */
export function offsetKm([lon, lat]: LonLat, dxKm: number, dyKm: number): LonLat {
  const kmPerDegreeLon = KM_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180);
  return [lon + dxKm / kmPerDegreeLon, lat + dyKm / KM_PER_DEGREE_LAT];
}

/** Distance in km (equirectangular; fine over a province). */
export function distanceKm(a: LonLat, b: LonLat): number {
  const meanLat = ((a[1] + b[1]) / 2) * (Math.PI / 180);
  const dx = (b[0] - a[0]) * KM_PER_DEGREE_LAT * Math.cos(meanLat);
  const dy = (b[1] - a[1]) * KM_PER_DEGREE_LAT;
  return Math.hypot(dx, dy);
}

function inRing(ring: LonLat[], [x, y]: LonLat): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The land of one unit: a set of polygons with a bounding box for a quick reject.
 * Used to keep simulated points inside their district (and so out of the sea).
 */
export class Area {
  private readonly bbox: [number, number, number, number];

  constructor(readonly polygons: PolygonRings[]) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of polygons) {
      for (const [x, y] of polygon[0] ?? []) {
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      }
    }
    this.bbox = [minX, minY, maxX, maxY];
  }

  contains(point: LonLat): boolean {
    const [x, y] = point;
    const [minX, minY, maxX, maxY] = this.bbox;
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    return this.polygons.some(
      (rings) =>
        rings.length > 0 &&
        inRing(rings[0], point) &&
        !rings.slice(1).some((hole) => inRing(hole, point)),
    );
  }

  /**
   * The point itself when inside, else the nearest point found on rings of growing radius
   * (every 250 m up to maxKm). Deterministic. Null when nothing within maxKm is inside.
   * `snap` (e.g. rounding) is applied to each candidate before it is tested.
   */
  nearestInside(point: LonLat, maxKm = 10, snap: (p: LonLat) => LonLat = (p) => p): LonLat | null {
    const start = snap(point);
    if (this.contains(start)) return start;
    const angles = 24;
    for (let r = 0.25; r <= maxKm + 1e-9; r += 0.25) {
      for (let k = 0; k < angles; k++) {
        const a = (2 * Math.PI * k) / angles;
        const candidate = snap(offsetKm(point, r * Math.cos(a), r * Math.sin(a)));
        if (this.contains(candidate)) return candidate;
      }
    }
    return null;
  }
}

/** GeoJSON Polygon / MultiPolygon coordinates as a list of polygons. */
export function polygonsOf(
  geometry: { type: string; coordinates: unknown } | null | undefined,
): PolygonRings[] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates as PolygonRings];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as PolygonRings[];
  return [];
}
