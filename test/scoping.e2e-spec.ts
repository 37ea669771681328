import { DISTRICTS, EventFactory } from './support/factories';
import { LiveClient } from './support/live-client';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

describe('jurisdiction: a district sees only its district (two api instances)', () => {
  const stack = new TestStack({ apiInstances: 2 });
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  it('pushes each event only to sockets whose jurisdiction contains it, whichever instance they use', async () => {
    const [apiA, apiB] = stack.apiUrls;
    const mongCai = await new LiveClient(apiA, await stack.token(DISTRICTS.mongCai.account)).connect();
    const haLong = await new LiveClient(apiB, await stack.token(DISTRICTS.haLong.account)).connect();
    const provinceA = await new LiveClient(apiA, await stack.token('province.commander')).connect();
    const provinceB = await new LiveClient(apiB, await stack.token('province.duty')).connect();

    const inMongCai = Array.from({ length: 30 }, (_, i) => EventFactory.mixed(i, DISTRICTS.mongCai.code));
    const inHaLong = Array.from({ length: 20 }, (_, i) => EventFactory.mixed(i, DISTRICTS.haLong.code));
    const inCamPha = Array.from({ length: 10 }, (_, i) => EventFactory.mixed(i, DISTRICTS.camPha.code));
    // Posted through both instances, interleaved.
    await stack.postEvents('province.duty', [...inMongCai.slice(0, 15), ...inHaLong.slice(0, 10)]);
    await stack.request('POST', '/api/v1/events', 'province.duty', { events: [...inCamPha, ...inMongCai.slice(15), ...inHaLong.slice(10)] }, apiB);

    await waitFor('province sockets', () => provinceA.posted().length >= 60 && provinceB.posted().length >= 60, 10_000);
    // One sentinel per district, posted last: whatever a socket was going to get arrives before its own.
    const mongCaiSentinel = await stack.postSentinel(DISTRICTS.mongCai.code);
    const haLongSentinel = await stack.postSentinel(DISTRICTS.haLong.code);
    await Promise.all([
      mongCai.waitForEvent(mongCaiSentinel),
      haLong.waitForEvent(haLongSentinel),
      provinceA.waitForEvent(haLongSentinel),
      provinceB.waitForEvent(haLongSentinel),
    ]);
    for (const c of [mongCai, haLong, provinceA, provinceB]) c.disconnect();
    const received = (client: LiveClient, sentinel: string) => client.postedBefore(sentinel).map((e) => e.id);

    // (The tracing tasks the rules open for the F0 are pushed too, each to its own unit.)
    expect(new Set(received(mongCai, mongCaiSentinel))).toEqual(new Set(inMongCai.map((e) => e.id)));
    expect(received(mongCai, mongCaiSentinel)).toHaveLength(30);
    expect(mongCai.events.every((e) => e.unitPath.includes(DISTRICTS.mongCai.code))).toBe(true);
    expect(new Set(received(haLong, haLongSentinel))).toEqual(new Set(inHaLong.map((e) => e.id)));
    expect(received(haLong, haLongSentinel)).toHaveLength(20);
    expect(haLong.events.every((e) => e.unitPath.includes(DISTRICTS.haLong.code))).toBe(true);
    // The 60 posted, then the Móng Cái sentinel.
    expect(received(provinceA, haLongSentinel)).toHaveLength(61);
    expect(received(provinceB, haLongSentinel)).toHaveLength(61);
    expect(received(provinceA, haLongSentinel)[60]).toBe(mongCaiSentinel);
  });

  it('REST: a district caller sees its units and snapshot only', async () => {
    const units = await stack.request('GET', '/api/v1/units', DISTRICTS.mongCai.account);
    expect(units.status).toBe(200);
    expect(units.body).toEqual([{ code: '194', name: 'Móng Cái', level: 'district', parentCode: '22' }]);

    const province = await stack.request('GET', '/api/v1/units', 'province.commander');
    expect(province.body).toHaveLength(14);

    const own = await stack.request('GET', '/api/v1/snapshot?unit=194', DISTRICTS.mongCai.account);
    expect(own.status).toBe(200);
    expect(own.body.recent.every((e: { unitPath: string[] }) => e.unitPath.includes('194'))).toBe(true);

    const other = await stack.request('GET', '/api/v1/snapshot?unit=193', DISTRICTS.mongCai.account);
    expect(other.status).toBe(403);
    const up = await stack.request('GET', '/api/v1/snapshot?unit=22', DISTRICTS.mongCai.account);
    expect(up.status).toBe(403);
  });

  it('a district socket reconnecting with a cursor is backfilled with its own district only', async () => {
    const token = await stack.token(DISTRICTS.mongCai.account);
    const first = await new LiveClient(stack.apiUrl, token).connect();
    await stack.postEvents('province.duty', [EventFactory.caseConfirmed().inUnit('194').build()]);
    await waitFor('one event', () => first.posted().length === 1, 5000);
    const cursor = first.lastCursor!;
    first.disconnect();
    const mine = EventFactory.reportReceived().inUnit('194').build();
    await stack.postEvents('province.duty', [EventFactory.caseConfirmed().inUnit('193').build(), mine]);
    const second = await new LiveClient(stack.apiUrl, token).connect(cursor);
    const sentinel = await stack.postSentinel('194');
    await second.waitForEvent(sentinel);
    second.disconnect();
    // (The tracing task of the first F0 may come after the cursor: it is Móng Cái's too.)
    expect(second.postedBefore(sentinel).map((e) => e.id)).toEqual([mine.id]);
    expect(second.events.every((e) => e.unitPath.includes('194'))).toBe(true);
  });
});
