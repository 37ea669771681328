import { TokenBucketLimiter } from './rate-limiter';

describe('TokenBucketLimiter', () => {
  it('allows a burst of `capacity`, then refills at the given rate, per key', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(3, 1, 100, () => now);
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    now += 10_000;
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([0, 0, 0]);
  });

  it('forgets the least recently used keys beyond its size', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(1, 0.001, 2, () => now);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // evicts a
    now += 1;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('c')).toBeGreaterThan(0);
  });
});
