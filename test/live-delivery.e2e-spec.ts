import { EventFactory } from './support/factories';
import { LiveClient } from './support/live-client';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const DISTRICT_CODES = ['193', '194', '195', '196', '198', '199', '200', '201', '202', '203', '205', '206', '207'];

function batchOf(n: number, offset: number) {
  return Array.from({ length: n }, (_, i) => EventFactory.mixed(offset + i, DISTRICT_CODES[(offset + i) % DISTRICT_CODES.length]));
}

describe('live push over /live', () => {
  const stack = new TestStack();
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  it('delivers 2,000 events posted in batches exactly once, in seq order, to a province socket', async () => {
    const client = await new LiveClient(stack.apiUrl, await stack.token('province.commander')).connect();
    const seqs: number[] = [];
    for (let b = 0; b < 20; b++) {
      const res = await stack.postEvents('province.duty', batchOf(100, b * 100));
      seqs.push(...res.accepted.map((a) => a.seq));
    }
    await waitFor('2,000 events at the socket', () => client.posted().length >= 2000, 20_000);
    // Anything extra (a duplicate) would arrive before the sentinel.
    const sentinel = await stack.postSentinel(DISTRICT_CODES[0]);
    await client.waitForEvent(sentinel);
    client.disconnect();
    const posted = client.postedBefore(sentinel);

    // The posted events in seq order. (The tracing tasks the rules open meanwhile come in
    // between, in the order they were committed: a worker's seq taken during a long batch is
    // published before the batch.)
    expect(posted).toHaveLength(2000);
    expect(new Set(posted.map((e) => e.id)).size).toBe(2000);
    expect(posted.map((e) => e.seq)).toEqual(seqs);
    expect(new Set(client.ids()).size).toBe(client.events.length);
    const sorted = [...posted.map((e) => e.seq)].sort((a, b) => a - b);
    expect(posted.map((e) => e.seq)).toEqual(sorted);
    // Nothing personal is pushed: the caller's phone of every report stays out of the feed.
    expect(JSON.stringify(client.events)).not.toMatch(/callerPhone|0912 345 678/);
  });

  it('reconnecting with the last cursor backfills the gap: no gap, no duplicate', async () => {
    const token = await stack.token('province.commander');
    const first = await new LiveClient(stack.apiUrl, token).connect();
    const posted: string[] = [];
    const post = async (n: number, offset: number) => {
      const res = await stack.postEvents('province.duty', batchOf(n, offset));
      posted.push(...res.accepted.map((a) => a.id));
    };
    await post(200, 0);
    await waitFor('first 200', () => first.posted().length >= 200, 10_000);
    const cursor = first.lastCursor!;
    first.disconnect();

    // Mid-stream: events keep coming while the console is away, and while it reconnects.
    await post(300, 200);
    const second = new LiveClient(stack.apiUrl, token);
    const reconnecting = second.connect(cursor);
    await post(100, 500);
    await reconnecting;
    await post(100, 600);
    await waitFor('all 700', () => first.posted().length + second.posted().length >= 700, 10_000);
    const sentinel = await stack.postSentinel(DISTRICT_CODES[0]);
    await second.waitForEvent(sentinel);
    second.disconnect();

    const seen = [...first.postedIds(), ...second.postedBefore(sentinel).map((e) => e.id)];
    expect(seen).toEqual(posted);
    expect(second.resyncs).toEqual([]);
  });

  it('answers resync for a cursor it cannot serve', async () => {
    const token = await stack.token('province.commander');
    const stale = await new LiveClient(stack.apiUrl, token).connect('deadbeef:1-0');
    expect(stale.resyncs).toEqual([{ reason: 'stream-reset' }]);
    stale.disconnect();
    const garbage = await new LiveClient(stack.apiUrl, token).connect('not-a-cursor');
    expect(garbage.resyncs).toEqual([{ reason: 'cursor-unknown' }]);
    garbage.disconnect();
  });

  it('refuses a socket without a valid token', async () => {
    await expect(new LiveClient(stack.apiUrl, 'forged.token.value').connect()).rejects.toThrow(/unauthorized/);
  });
});
