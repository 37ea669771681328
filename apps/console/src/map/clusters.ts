/**
 * Clustering of a point layer for the map's current view, done by the point worker (decision
 * 0021). MapLibre's own clustering would need every point of the unit (50,000 F1 at province
 * level) serialised, parsed and indexed by its worker, and every live update re-clusters all of
 * them; here the worker bins the points it already holds into a grid of screen cells for the
 * current zoom and hands MapLibre a few hundred features.
 *
 * The grid is in Web Mercator pixels of MapLibre's 512-px world at the view's zoom, so a cell
 * is the same size on screen at every zoom. A cell with one point gives that point (a marker);
 * a cell with more gives a cluster at the mean of its points, with the same properties MapLibre
 * gives its clusters (`point_count`, `point_count_abbreviated`, `cluster_id`) and the extent of
 * its points (a click zooms to it). Past `CLUSTER_MAX_ZOOM` every point stands alone.
 */

/** A point as the worker keeps it: its place in degrees and in Mercator units (0..1). */
export interface ClusterPoint {
  id: string;
  lon: number;
  lat: number;
  x: number;
  y: number;
  drill: boolean;
}

export interface ClusterView {
  /** MapLibre's zoom (fractional). */
  zoom: number;
  /** West, south, east, north in degrees: what is in view, with a margin for small pans. */
  bounds: readonly [number, number, number, number];
  /** Markers and clusters, or finer cells weighted by their count for the heatmap. */
  mode: 'points' | 'heat';
}

/** The width of a cluster cell on screen, and of a heatmap cell (closer to its kernel). */
export const CLUSTER_CELL_PX = 60;
export const HEAT_CELL_PX = 12;
/** Past this zoom every point is its own marker (a street block and closer). */
export const CLUSTER_MAX_ZOOM = 12;

const WORLD_PX = 512;
/** A cell's key = column * ROW_SPAN + row: unique per cell, exact in a double up to zoom 16. */
const ROW_SPAN = 2 ** 26;

export function mercatorX(lon: number): number {
  return (lon + 180) / 360;
}

export function mercatorY(lat: number): number {
  const clamped = Math.max(-85.05, Math.min(85.05, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
}

/** How the cluster count is written on the map: 950, 1.2k, 12k. */
export function abbreviate(count: number): string {
  if (count >= 10_000) return `${Math.round(count / 1000)}k`;
  if (count >= 1000) return `${Math.round(count / 100) / 10}k`;
  return String(count);
}

export type ClusterFeature = GeoJSON.Feature<GeoJSON.Point, ClusterProperties | PointProperties>;

export interface PointProperties {
  /** The map layer (f0, f1, …): all of them share one source. */
  layer: string;
  id: string;
  drill: boolean;
}

export interface ClusterProperties {
  layer: string;
  cluster: true;
  cluster_id: number;
  point_count: number;
  point_count_abbreviated: string;
  /** The extent of the cluster's points: a click on it fits the map to them. */
  west: number;
  south: number;
  east: number;
  north: number;
}

/** The grid of one view: the cell of a Mercator position, and which cells are in view. */
export class ClusterGrid {
  readonly clustered: boolean;
  private readonly cellsPerUnit: number;
  private readonly minX: number;
  private readonly maxX: number;
  private readonly minY: number;
  private readonly maxY: number;

  constructor(readonly view: ClusterView) {
    this.clustered = view.mode === 'heat' || view.zoom <= CLUSTER_MAX_ZOOM;
    const cellPx = view.mode === 'heat' ? HEAT_CELL_PX : CLUSTER_CELL_PX;
    this.cellsPerUnit = (WORLD_PX * 2 ** view.zoom) / cellPx;
    const [west, south, east, north] = view.bounds;
    this.minX = mercatorX(west);
    this.maxX = mercatorX(east);
    this.minY = mercatorY(north);
    this.maxY = mercatorY(south);
  }

  inView(p: ClusterPoint): boolean {
    return p.x >= this.minX && p.x <= this.maxX && p.y >= this.minY && p.y <= this.maxY;
  }

  cellOf(p: ClusterPoint): number {
    return Math.floor(p.x * this.cellsPerUnit) * ROW_SPAN + Math.floor(p.y * this.cellsPerUnit);
  }
}

interface Cell {
  count: number;
  sumLon: number;
  sumLat: number;
  west: number;
  south: number;
  east: number;
  north: number;
  /** The only point of the cell while it has one. */
  first: ClusterPoint;
}

export interface ClusterResult {
  data: GeoJSON.FeatureCollection<GeoJSON.Point, ClusterProperties | PointProperties>;
  /** The cluster_id of each cell holding a cluster (what a lookup of one point needs). */
  cells: Map<number, number>;
}

function single(layer: string, p: ClusterPoint): ClusterFeature {
  return {
    type: 'Feature',
    properties: { layer, id: p.id, drill: p.drill },
    geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
  };
}

/**
 * The features of one layer for a view: its points in view (drill points only when
 * `includeDrill`), as markers and clusters. O(points), one pass, no index to maintain.
 */
export function clusterLayer(
  layer: string,
  points: Iterable<ClusterPoint>,
  grid: ClusterGrid,
  includeDrill: boolean,
): ClusterResult {
  const features: ClusterFeature[] = [];
  const cells = new Map<number, number>();
  if (!grid.clustered) {
    for (const p of points) {
      if ((includeDrill || !p.drill) && grid.inView(p)) features.push(single(layer, p));
    }
    return { data: { type: 'FeatureCollection', features }, cells };
  }
  const byCell = new Map<number, Cell>();
  for (const p of points) {
    if ((!includeDrill && p.drill) || !grid.inView(p)) continue;
    const key = grid.cellOf(p);
    const cell = byCell.get(key);
    if (cell === undefined) {
      byCell.set(key, {
        count: 1,
        sumLon: p.lon,
        sumLat: p.lat,
        west: p.lon,
        south: p.lat,
        east: p.lon,
        north: p.lat,
        first: p,
      });
      continue;
    }
    cell.count += 1;
    cell.sumLon += p.lon;
    cell.sumLat += p.lat;
    if (p.lon < cell.west) cell.west = p.lon;
    if (p.lon > cell.east) cell.east = p.lon;
    if (p.lat < cell.south) cell.south = p.lat;
    if (p.lat > cell.north) cell.north = p.lat;
  }
  for (const [key, cell] of byCell) {
    if (cell.count === 1) {
      features.push(single(layer, cell.first));
      continue;
    }
    // Small ids, numbered per flush (a cell key can pass what a tile's integer keeps).
    const clusterId = cells.size + 1;
    cells.set(key, clusterId);
    features.push({
      type: 'Feature',
      properties: {
        layer,
        cluster: true,
        cluster_id: clusterId,
        point_count: cell.count,
        point_count_abbreviated: abbreviate(cell.count),
        west: cell.west,
        south: cell.south,
        east: cell.east,
        north: cell.north,
      },
      geometry: {
        type: 'Point',
        coordinates: [cell.sumLon / cell.count, cell.sumLat / cell.count],
      },
    });
  }
  return { data: { type: 'FeatureCollection', features }, cells };
}
