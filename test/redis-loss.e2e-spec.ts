import { EventFactory } from './support/factories';
import { LiveClient } from './support/live-client';
import { PrivateRedis } from './support/private-redis';
import { TestStack } from './support/stack';
import { sleep, waitFor } from './support/wait';

const UNITS = ['193', '194', '195', '196'];

describe('fault: Redis loses everything mid-stream', () => {
  const redis = new PrivateRedis();
  let stack: TestStack;
  beforeAll(async () => {
    await redis.start();
    stack = await new TestStack({ redisUrl: redis.url, processes: true }).start();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await redis.dispose();
  });

  it('loses nothing accepted: the relay republishes, projections are exact, consoles resync or backfill', async () => {
    const client = await new LiveClient(stack.apiUrl, await stack.token('province.commander')).connect();
    const accepted: string[] = [];
    const sent: ReturnType<typeof EventFactory.mixed>[] = [];
    let stop = false;
    let rejected = 0;
    const producer = (async () => {
      for (let i = 0; !stop; i += 50) {
        const batch = Array.from({ length: 50 }, (_, k) => EventFactory.mixed(i + k, UNITS[(i + k) % UNITS.length]));
        const res = await stack.request('POST', '/api/v1/events', 'province.duty', { events: batch });
        if (res.status === 202) {
          accepted.push(...res.body.accepted.map((a: { id: string }) => a.id));
          sent.push(...batch);
        } else {
          rejected++;
        }
        await sleep(20);
      }
    })();

    await waitFor('traffic before the loss', () => accepted.length >= 1000, 30_000, 20);
    const cursorBefore = client.lastCursor!;
    await redis.restartEmpty(500);
    await waitFor('traffic after the loss', () => accepted.length >= 3000, 60_000, 20);
    stop = true;
    await producer;

    // Ingest never depended on Redis: every request was accepted (PostgreSQL is the truth).
    expect(rejected).toBe(0);
    // (The submitted events; the rules add tracing tasks of their own.)
    expect(await stack.submittedEvents()).toBe(accepted.length);

    // The relay republished what the projector had not applied; the counters are exact.
    const expected = {
      f0: sent.filter((e) => e.type === 'case.confirmed').length,
      tests: sent.filter((e) => e.type === 'test.resulted').length,
    };
    await waitFor('projection rebuilt after the loss', async () => {
      const { rows } = await stack.db.query(`SELECT sum(f0)::int AS f0, sum(tests)::int AS tests FROM unit_daily_counters WHERE unit_code = '22'`);
      return rows[0].f0 === expected.f0 && rows[0].tests === expected.tests;
    }, 60_000, 250);
    expect(await stack.projectedSubmittedEvents()).toBe(accepted.length);
    expect(await stack.count('SELECT count(*) FROM event_outbox')).toBe(0);

    // The connected console was told to resync (its cursors belong to the lost stream)...
    await waitFor('resync at the connected console', () => client.resyncs.length > 0 || !client.socket.connected, 10_000);
    client.disconnect();
    if (client.socket.connected === false && client.resyncs.length === 0) {
      // ...or it was disconnected; then reconnecting with its old cursor must say resync.
      const again = await new LiveClient(stack.apiUrl, await stack.token('province.commander')).connect(client.lastCursor);
      expect(again.resyncs.length).toBeGreaterThan(0);
      again.disconnect();
    } else {
      expect(client.resyncs[0]).toEqual({ reason: 'stream-reset' });
    }
    // A console coming back with a cursor from before the loss is told to resync, never given a gap.
    const late = await new LiveClient(stack.apiUrl, await stack.token('province.commander')).connect(cursorBefore);
    expect(late.resyncs).toEqual([{ reason: 'stream-reset' }]);
    late.disconnect();

    // After resync: a fresh snapshot and its cursor give a gap-free live feed again.
    const snap = await stack.request('GET', '/api/v1/snapshot?unit=22', 'province.commander');
    const fresh = await new LiveClient(stack.apiUrl, await stack.token('province.commander')).connect(snap.body.cursor);
    expect(fresh.resyncs).toEqual([]);
    const after = Array.from({ length: 10 }, (_, i) => EventFactory.mixed(i, '194'));
    await stack.postEvents('province.duty', after);
    await waitFor('live after resync', () => after.every((e) => fresh.ids().includes(e.id)), 10_000);
    fresh.disconnect();
  });
});
