import { Agenda } from './agenda';
import { Area, distanceKm, offsetKm } from './geo';
import { deriveSeed, Rng } from './prng';

describe('Rng', () => {
  it('is deterministic per seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 10 }, () => a.uint32());
    expect(Array.from({ length: 10 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 10 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('draws floats in [0, 1) with a sensible mean, ints within bounds', () => {
    const rng = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.float();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(10, 20));
    expect([...seen].sort((x, y) => x - y)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('picks by weight and rounds stochastically around the value', () => {
    const rng = new Rng(2);
    let heavy = 0;
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      if (rng.weighted(['a', 'b'], (x) => (x === 'a' ? 9 : 1)) === 'a') heavy++;
      total += rng.round(2.3);
    }
    expect(heavy / 10_000).toBeCloseTo(0.9, 1);
    expect(total / 10_000).toBeCloseTo(2.3, 1);
  });

  it('makes version-4 UUIDs', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) {
      expect(rng.uuid()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('derives stable, distinct seeds', () => {
    expect(deriveSeed(2021, 'ids')).toBe(deriveSeed(2021, 'ids'));
    expect(deriveSeed(2021, 'ids')).not.toBe(deriveSeed(2021, 'content'));
  });
});

describe('Agenda', () => {
  it('pops by time, ties in insertion order', () => {
    const agenda = new Agenda<string>();
    agenda.add(5, 'c');
    agenda.add(1, 'a');
    agenda.add(5, 'd');
    agenda.add(3, 'b');
    expect([1, 2, 3, 4].map(() => agenda.pop()!.value)).toEqual(['a', 'b', 'c', 'd']);
    expect(agenda.pop()).toBeUndefined();
  });
});

describe('geo', () => {
  // A 10 km x 10 km square with a 2 km hole in the middle, near 21° N.
  const o: [number, number] = [107, 21];
  const ring = (x0: number, y0: number, size: number) =>
    [
      [x0, y0],
      [x0 + size, y0],
      [x0 + size, y0 + size],
      [x0, y0 + size],
      [x0, y0],
    ].map(([x, y]) => offsetKm(o, x, y));
  const area = new Area([[ring(0, 0, 10), ring(4, 4, 2)]]);

  it('tells inside from outside and from holes', () => {
    expect(area.contains(offsetKm(o, 1, 1))).toBe(true);
    expect(area.contains(offsetKm(o, 5, 5))).toBe(false);
    expect(area.contains(offsetKm(o, 11, 1))).toBe(false);
  });

  it('moves an outside point to the nearest inside, within reach', () => {
    const outside = offsetKm(o, 12, 5);
    const moved = area.nearestInside(outside, 5)!;
    expect(area.contains(moved)).toBe(true);
    expect(distanceKm(moved, outside)).toBeLessThanOrEqual(2.3);
    expect(area.nearestInside(offsetKm(o, 30, 5), 5)).toBeNull();
  });

  it('measures kilometres', () => {
    expect(distanceKm(o, offsetKm(o, 3, 4))).toBeCloseTo(5, 3);
  });
});
