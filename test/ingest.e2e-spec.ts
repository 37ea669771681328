import { EventFactory, DISTRICTS } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

describe('ingest: POST /api/v1/events', () => {
  const stack = new TestStack();
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  // Events submitted by people (the rules add tracing tasks of their own, asynchronously).
  const eventRows = () => stack.submittedEvents();

  it('logs in demo accounts and refuses wrong passwords', async () => {
    const ok = await stack.request('POST', '/api/v1/auth/login', null, { username: 'mong-cai.duty', password: 'test-demo-password' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual(
      expect.objectContaining({ username: 'mong-cai.duty', role: 'duty-officer', unit: expect.objectContaining({ code: '194', name: 'Móng Cái' }) }),
    );
    expect(typeof ok.body.accessToken).toBe('string');
    const bad = await stack.request('POST', '/api/v1/auth/login', null, { username: 'mong-cai.duty', password: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'wrong username or password' });
    const unknownField = await stack.request('POST', '/api/v1/auth/login', null, { username: 'a', password: 'b', role: 'admin' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.details[0].message).toMatch(/unknown field.*role/);
  });

  it('requires a token', async () => {
    const res = await stack.request('POST', '/api/v1/events', null, { events: [EventFactory.caseConfirmed().build()] });
    expect(res.status).toBe(401);
  });

  it('accepts a batch with ids and seqs, and a re-sent id returns the same answer without a new row', async () => {
    const events = [EventFactory.caseConfirmed().inUnit(DISTRICTS.mongCai.code).build(), EventFactory.reportReceived().inUnit('193').build()];
    const first = await stack.postEvents('province.duty', events);
    expect(first.accepted.map((a) => a.id)).toEqual(events.map((e) => e.id));
    expect(first.accepted[1].seq).toBeGreaterThan(first.accepted[0].seq);
    const before = await eventRows();
    const again = await stack.postEvents('province.duty', events);
    expect(again).toEqual(first);
    expect(await eventRows()).toBe(before);
  });

  it('keeps personal fields out of the event log and the stream', async () => {
    const report = EventFactory.reportReceived().inUnit('193').build();
    await stack.postEvents('province.duty', [report]);
    const { rows } = await stack.db.query('SELECT payload FROM event_log WHERE id = $1', [report.id]);
    expect(rows[0].payload).not.toHaveProperty('callerPhone');
    const personal = await stack.db.query('SELECT fields FROM event_personal_data WHERE event_id = $1', [report.id]);
    expect(personal.rows[0].fields).toEqual({ callerPhone: '0912 345 678' });
    await waitFor('stream entry', async () => {
      const entries = await stack.redis.xrange(`${stack.prefix}events`, '-', '+');
      return entries.find(([, f]) => f.includes(report.id));
    });
    const entries = await stack.redis.xrange(`${stack.prefix}events`, '-', '+');
    expect(JSON.stringify(entries)).not.toContain('0912 345 678');
  });

  describe('malformed input: all 4xx, process alive, nothing written', () => {
    const valid = () => EventFactory.caseConfirmed().inUnit('194').build();
    const cases: { name: string; body: string | unknown; status: number; mentions?: RegExp }[] = [
      { name: 'truncated JSON', body: '{"events":[{"type":"case.confirmed","unit":"194"', status: 400, mentions: /JSON/ },
      { name: 'not an object', body: '[1,2,3]', status: 400, mentions: /body/ },
      { name: 'empty batch', body: { events: [] }, status: 400, mentions: /events/ },
      { name: 'unknown top-level field', body: { events: [valid()], extra: 1 }, status: 400, mentions: /extra/ },
      { name: 'wrong type of occurredAt', body: { events: [{ ...valid(), occurredAt: 12 }] }, status: 400, mentions: /events\[0\]\.occurredAt/ },
      { name: 'unknown event type', body: { events: [{ ...valid(), type: 'case.exploded' }] }, status: 400, mentions: /unknown event type "case.exploded"/ },
      { name: 'unknown payload field', body: { events: [{ ...valid(), payload: { ...valid().payload, fullName: 'Nguyễn Văn A' } }] }, status: 400, mentions: /events\[0\]\.payload.*fullName/ },
      { name: 'unknown envelope field', body: { events: [{ ...valid(), secret: true }] }, status: 400, mentions: /secret/ },
      { name: 'bad enum in report', body: { events: [EventFactory.reportReceived().with({ unit: '194' }).build()].map((e) => ({ ...e, payload: { ...e.payload, channel: 'pigeon' } })) }, status: 400, mentions: /payload\.channel/ },
      { name: 'description too long', body: { events: [EventFactory.reportReceived().inUnit('194').build()].map((e) => ({ ...e, payload: { ...e.payload, description: 'x'.repeat(2001) } })) }, status: 400, mentions: /payload\.description/ },
      { name: 'occurredAt in the future', body: { events: [{ ...valid(), occurredAt: new Date(Date.now() + 3_600_000).toISOString() }] }, status: 400, mentions: /events\[0\]\.occurredAt: is in the future/ },
      { name: 'unknown unit', body: { events: [{ ...valid(), unit: '99999' }] }, status: 400, mentions: /unknown unit "99999"/ },
      { name: 'one bad event spoils the batch', body: { events: [valid(), valid(), { ...valid(), location: { lat: 200, lon: 107 } }] }, status: 400, mentions: /events\[2\]\.location\.lat/ },
      { name: 'more than 1,000 events', body: { events: Array.from({ length: 1001 }, valid) }, status: 400, mentions: /events/ },
    ];

    it.each(cases)('$name -> $status', async ({ body, status, mentions }) => {
      const before = await eventRows();
      const res = await stack.request('POST', '/api/v1/events', 'province.duty', body);
      expect(res.status).toBe(status);
      expect(res.body).toEqual(expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String) }));
      const said = [res.body.message, ...(res.body.details ?? []).map((d: { path: string; message: string }) => `${d.path}: ${d.message}`)];
      if (mentions) expect(said.join('\n')).toMatch(mentions);
      expect(await eventRows()).toBe(before);
    });

    it('a 10 MB body is refused with 413', async () => {
      const before = await eventRows();
      const huge = JSON.stringify({ events: [{ ...valid(), payload: { ...valid().payload, pad: 'x'.repeat(10 * 1024 * 1024) } }] });
      const res = await stack.request('POST', '/api/v1/events', 'province.duty', huge);
      expect(res.status).toBe(413);
      expect(await eventRows()).toBe(before);
    });

    it('an event outside the caller\'s jurisdiction is 403 and nothing of the batch is written', async () => {
      const before = await eventRows();
      const res = await stack.request('POST', '/api/v1/events', DISTRICTS.mongCai.account, {
        events: [valid(), EventFactory.caseConfirmed().inUnit(DISTRICTS.haLong.code).build()],
      });
      expect(res.status).toBe(403);
      expect(res.body.details[0]).toEqual({ path: 'events[1].unit', message: 'unit "193" is outside your jurisdiction' });
      expect(await eventRows()).toBe(before);
    });

    it('the api is still alive and accepting afterwards', async () => {
      const res = await stack.postEvents('province.duty', [valid()]);
      expect(res.accepted).toHaveLength(1);
      const health = await fetch(`${stack.apiUrl}/health/ready`);
      expect(health.status).toBe(200);
    });
  });

  it('projects counters for the unit and all its ancestors (snapshot)', async () => {
    // The earlier tests' events are projected first, or they would land between the two reads.
    await stack.consumed('projector');
    const before = (await stack.request('GET', '/api/v1/snapshot?unit=22', 'province.duty')).body.counters;
    await stack.postEvents('province.duty', [
      EventFactory.caseConfirmed().inUnit('195').build(),
      EventFactory.testResulted('positive').inUnit('195').build(),
      EventFactory.testResulted('negative').inUnit('195').build(),
    ]);
    await waitFor('projection', async () => {
      const snap = (await stack.request('GET', '/api/v1/snapshot?unit=22', 'province.duty')).body;
      return snap.counters.f0Today === before.f0Today + 1 && snap.counters.testsToday === before.testsToday + 2;
    });
    const district = (await stack.request('GET', '/api/v1/snapshot?unit=195', 'cam-pha.duty')).body;
    expect(district.counters).toEqual(expect.objectContaining({ f0Today: 1, testsToday: 2, positivesToday: 1 }));
    expect(district.cursor).toMatch(/^[0-9a-f]+:\d+-\d+$/);
    expect(district.unit).toEqual({ code: '195', name: 'Cẩm Phả', level: 'district' });
  });
});
