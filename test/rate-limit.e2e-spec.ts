import { PrivateRedis } from './support/private-redis';
import { TestStack } from './support/stack';

/**
 * The named rate limits (apps/api/src/common/rate-limit.ts): counted in Redis, so every api
 * instance holds a client to the same limit; one bucket per route family; a 429 says when to
 * come back, in Vietnamese; and with Redis away requests still go through.
 */

const REPORT = { category: 'other', description: 'Thử giới hạn gửi tin báo', unit: '194' };

/** Requests come from `client` (X-Forwarded-For, the stacks trust it) so each test has fresh buckets. */
function get(apiUrl: string, path: string, client: string): Promise<Response> {
  return fetch(`${apiUrl}${path}`, { headers: { 'x-forwarded-for': client }, signal: AbortSignal.timeout(10_000) });
}

describe('rate limits shared by every api instance', () => {
  const stack = new TestStack({ apiInstances: 2, env: { TRUST_PROXY: 'true' } });
  beforeAll(() => stack.start(), 90_000);
  afterAll(() => stack.stop());

  it('holds one client to 5 reports across both instances, answering 429 with Retry-After in Vietnamese', async () => {
    const responses: Response[] = [];
    // Alternating instances: separate counters would accept 10 of these 12.
    for (let i = 0; i < 12; i++) {
      responses.push(
        await fetch(`${stack.apiUrls[i % 2]}/api/v1/public/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.7.0.1' },
          body: JSON.stringify(REPORT),
        }),
      );
    }
    const statuses = responses.map((r) => r.status);
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual(Array(7).fill(429));

    const refused = responses[5];
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(await refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Kết nối này đã gửi quá nhiều tin báo: vui lòng thử lại sau ít phút, hoặc gọi đường dây nóng.',
    });
    // Only the accepted ones were stored; another client is not held back.
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE payload->>'description' = $1`, [REPORT.description])).toBe(5);
    const other = await fetch(`${stack.apiUrls[1]}/api/v1/public/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.7.0.2' },
      body: JSON.stringify(REPORT),
    });
    expect(other.status).toBe(202);
  });

  it('refuses before reading the input: a malformed report over the limit is a 429, not a 400', async () => {
    const send = (apiUrl: string) =>
      fetch(`${apiUrl}/api/v1/public/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.7.0.3' },
        body: JSON.stringify({ category: 'not-a-category' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(stack.apiUrls[i % 2])).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });

  it('gives each route family its own bucket: a client spent on the duty list still opens the duty page', async () => {
    const client = '10.7.0.4';
    const flood = await Promise.all(Array.from({ length: 50 }, (_, i) => get(stack.apiUrls[i % 2], '/api/v1/public/duty?q=co%20to', client)));
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    const refused = flood.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBe(1);
    expect(((await refused.json()) as { message: string }).message).toBe('Quá nhiều yêu cầu từ kết nối này, vui lòng thử lại sau ít giây.');

    expect((await get(stack.apiUrls[0], '/duty?q=co%20to', client)).status).toBe(200);
    expect((await get(stack.apiUrls[1], '/api/v1/public/units', client)).status).toBe(200);
    expect((await get(stack.apiUrls[0], '/bao-tin', client)).status).toBe(200);
  });
});

describe('rate limits with Redis away', () => {
  const redis = new PrivateRedis();
  let stack: TestStack;
  let redisDown = false;
  beforeAll(async () => {
    await redis.start();
    // Spawned: an in-process worker does not shut down within its limit after losing Redis.
    stack = await new TestStack({ redisUrl: redis.url, processes: true, env: { TRUST_PROXY: 'true' } }).start();
  }, 90_000);
  afterAll(async () => {
    // The processes shut down cleanly (and the test's keys are removed) with Redis back.
    if (redisDown) await redis.start();
    await stack?.stop();
    await redis.dispose();
  });

  it('lets requests through without waiting for Redis, and says so once in the log', async () => {
    const client = '10.8.0.1';
    const flood = await Promise.all(Array.from({ length: 50 }, () => get(stack.apiUrl, '/api/v1/public/duty?q=co%20to', client)));
    expect(flood.some((r) => r.status === 429)).toBe(true);

    await redis.stop();
    redisDown = true;
    // The client spent its shared allowance; with Redis away each instance counts in memory.
    for (let i = 0; i < 5; i++) {
      const res = await get(stack.apiUrl, '/api/v1/public/duty?q=co%20to', client);
      expect(res.status).toBe(200);
    }
    expect((await get(stack.apiUrl, '/duty', client)).status).toBe(200);
    const warnings = stack.apis[0].output.split('\n').filter((line) => line.includes('rate limits: Redis is away'));
    expect(warnings).toHaveLength(1);
  });
});
