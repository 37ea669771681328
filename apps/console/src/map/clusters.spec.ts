import { describe, expect, it } from '@jest/globals';
import { ClusterGrid, abbreviate, clusterLayer, mercatorX, mercatorY } from './clusters';
import type { ClusterPoint, ClusterView, PointProperties } from './clusters';

function at(id: string, lon: number, lat: number, drill = false): ClusterPoint {
  return { id, lon, lat, x: mercatorX(lon), y: mercatorY(lat), drill };
}

const QUANG_NINH: ClusterView['bounds'] = [106.4, 20.6, 108.2, 21.7];

describe('clusterLayer: a grid of screen cells for the view', () => {
  // Hạ Long and Móng Cái, about 150 km apart, and a handful of points 100 m apart in each.
  const haLong = Array.from({ length: 40 }, (_, i) => at(`hl-${i}`, 107.08 + i * 0.0001, 20.95));
  const mongCai = Array.from({ length: 1500 }, (_, i) =>
    at(`mc-${i}`, 107.97, 21.52 + (i % 10) * 0.0001),
  );

  it('at province zoom makes one cluster per town, with counts, extent and the mean place', () => {
    const grid = new ClusterGrid({ zoom: 8.5, bounds: QUANG_NINH, mode: 'points' });
    const { data, cells } = clusterLayer('f1', [...haLong, ...mongCai], grid, false);
    const clusters = data.features.map((f) => f.properties).filter((p) => 'cluster' in p);
    expect(clusters).toHaveLength(2);
    expect(clusters.map((c) => ('cluster' in c ? c.point_count : 0)).sort((a, b) => a - b)).toEqual(
      [40, 1500],
    );
    const big = clusters.find((c) => 'cluster' in c && c.point_count === 1500);
    expect(big).toMatchObject({
      point_count_abbreviated: '1.5k',
      west: 107.97,
      east: 107.97,
      south: 21.52,
    });
    expect(cells.size).toBe(2);
    const place = data.features.find((f) => f.properties === big)!.geometry.coordinates;
    expect(place[0]).toBeCloseTo(107.97, 6);
    expect(place[1]).toBeCloseTo(21.52045, 6);
  });

  it('a point alone in its cell is a marker; past zoom 12 every point is', () => {
    const grid = new ClusterGrid({ zoom: 8.5, bounds: QUANG_NINH, mode: 'points' });
    const lone = at('lone', 106.8, 21.3);
    const { data } = clusterLayer('f1', [lone, ...haLong], grid, false);
    expect(
      data.features
        .filter((f) => 'id' in f.properties)
        .map((f) => (f.properties as PointProperties).id),
    ).toEqual(['lone']);
    const street = new ClusterGrid({ zoom: 13, bounds: QUANG_NINH, mode: 'points' });
    expect(clusterLayer('f1', haLong, street, false).data.features).toHaveLength(40);
  });

  it('leaves out points outside the bounds and drill points unless asked', () => {
    const grid = new ClusterGrid({ zoom: 13, bounds: [107.0, 20.9, 107.2, 21.0], mode: 'points' });
    const drill = at('drill', 107.1, 20.95, true);
    const ids = (includeDrill: boolean) =>
      clusterLayer('f1', [...haLong, ...mongCai, drill], grid, includeDrill).data.features.map(
        (f) => (f.properties as PointProperties).id,
      );
    expect(ids(false)).toHaveLength(40);
    expect(ids(true)).toContain('drill');
  });

  it('the heatmap gets finer cells, still weighted by their points', () => {
    const points = Array.from({ length: 200 }, (_, i) => at(`p-${i}`, 107.0 + i * 0.002, 21.0));
    const view = { zoom: 10, bounds: QUANG_NINH } as const;
    const clusters = clusterLayer('f1', points, new ClusterGrid({ ...view, mode: 'points' }), false)
      .data.features;
    const heat = clusterLayer('f1', points, new ClusterGrid({ ...view, mode: 'heat' }), false).data
      .features;
    expect(heat.length).toBeGreaterThan(clusters.length);
    const total = heat.reduce(
      (n, f) => n + ('cluster' in f.properties ? f.properties.point_count : 1),
      0,
    );
    expect(total).toBe(200);
  });

  it('abbreviates counts as MapLibre does', () => {
    expect([abbreviate(950), abbreviate(1249), abbreviate(12_600)]).toEqual(['950', '1.2k', '13k']);
  });
});
