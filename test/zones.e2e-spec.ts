import { DISTRICTS, EventFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

/** Zone levels and lockdown areas; counts inside a drawn polygon against a direct PostGIS query. */
describe('zones: levels and lockdowns', () => {
  const stack = new TestStack();
  const MONG_CAI = DISTRICTS.mongCai.code;
  // A drawn rectangle around the centre of Móng Cái (lon, lat).
  const BOX = { west: 107.86, east: 107.9, south: 21.36, north: 21.39 };
  const polygon = {
    type: 'Polygon',
    coordinates: [[[BOX.west, BOX.south], [BOX.east, BOX.south], [BOX.east, BOX.north], [BOX.west, BOX.north], [BOX.west, BOX.south]]],
  };
  const expected = { f0: 0, f1: 0, urgentReports: 0 };
  const HOUR = 3600_000;

  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('ha-long.commander', 'commander', DISTRICTS.haLong.code);
    // 300 events scattered over a wider box; a fixed sequence so the test is repeatable.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    // The contacts' sources, registered first, far outside the box (the drawn polygon).
    const sourceF0 = EventFactory.caseConfirmed().inUnit(MONG_CAI).at(21.2, 107.6).build();
    const sourceF1 = EventFactory.contactIdentified(String(sourceF0.payload.caseId)).inUnit(MONG_CAI).at(21.2, 107.6).build();
    const events = [sourceF0, sourceF1];
    for (let i = 0; i < 300; i++) {
      const lat = 21.34 + rand() * 0.07;
      const lon = 107.84 + rand() * 0.08;
      const kind = i % 6;
      const drill = i % 17 === 0;
      // An F0 or F1 is registered as a case: its event carries the case's place, rounded to about 100 m.
      const registered = (kind === 0 || kind === 1) && !drill;
      const [y, x] = registered ? [Math.round(lat * 1000) / 1000, Math.round(lon * 1000) / 1000] : [lat, lon];
      const inside = x > BOX.west && x < BOX.east && y > BOX.south && y < BOX.north;
      let f;
      if (kind === 0) f = EventFactory.caseConfirmed();
      else if (kind === 1) f = EventFactory.contactIdentified(String(sourceF0.payload.caseId), 'F1');
      else if (kind === 2) f = EventFactory.contactIdentified(String(sourceF1.payload.contactId), 'F2');
      else if (kind === 3) f = EventFactory.reportReceived('illegal-entry');
      else if (kind === 4) f = EventFactory.reportReceived('other');
      else f = EventFactory.testResulted('positive');
      f = f.inUnit(MONG_CAI).at(lat, lon);
      if (drill) f = f.asDrill();
      events.push(f.build());
      if (inside && !drill) {
        if (kind === 0) expected.f0++;
        if (kind === 1) expected.f1++;
        if (kind === 3) expected.urgentReports++;
      }
    }
    await stack.postEvents('province.duty', events);
  }, 90_000);
  afterAll(() => stack.stop());

  it('counts F0, F1 and urgent reports inside a drawn lockdown polygon, as a direct PostGIS query does', async () => {
    const now = Date.now();
    const declared = await stack.request('POST', '/api/v1/zones/lockdowns', 'province.commander', {
      unit: MONG_CAI,
      decisionNumber: '45/QĐ-BCĐ',
      area: polygon,
      startsAt: new Date(now).toISOString(),
      // Ends in a day and a few seconds: the day-before warning is due in a few seconds.
      plannedEnd: new Date(now + 24 * HOUR + 4000).toISOString(),
      checkpoints: [{ name: 'Chốt cầu Ka Long', lat: 21.37, lon: 107.87 }],
    });
    expect(declared.status).toBe(201);
    const id = declared.body.id;
    expect(declared.body).toMatchObject({ unit: MONG_CAI, state: 'active', decisionNumber: '45/QĐ-BCĐ', area: { type: 'MultiPolygon' } });

    const counts = await stack.request('GET', `/api/v1/zones/lockdowns/${id}/counts`, DISTRICTS.mongCai.account);
    expect(counts.status).toBe(200);
    const direct = await stack.db.query(
      `SELECT count(*) FILTER (WHERE type = 'case.confirmed')::int AS f0,
              count(*) FILTER (WHERE type = 'contact.identified' AND payload->>'classification' = 'F1')::int AS f1,
              count(*) FILTER (WHERE type = 'report.received' AND payload->>'category' <> 'other')::int AS urgent
       FROM event_log WHERE NOT drill AND ST_Contains(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), location)`,
      [JSON.stringify(polygon)],
    );
    expect(counts.body).toMatchObject({ f0: direct.rows[0].f0, f1: direct.rows[0].f1, urgentReports: direct.rows[0].urgent });
    expect(counts.body).toMatchObject(expected);
    expect(expected.f0).toBeGreaterThan(5);
    expect(expected.urgentReports).toBeGreaterThan(5);
    expect((await stack.request('GET', `/api/v1/zones/lockdowns/${id}/counts`, DISTRICTS.haLong.account)).status).toBe(404);

    // The warning before the planned end, once.
    await waitFor('lockdown.ending-soon', async () => (await stack.count(`SELECT count(*) FROM event_log WHERE type = 'lockdown.ending-soon' AND payload->>'lockdownId' = $1`, [id])) === 1, 30_000, 200);

    const amended = await stack.request('POST', `/api/v1/zones/lockdowns/${id}/amend`, 'province.commander', { decisionNumber: '46/QĐ-BCĐ', plannedEnd: new Date(now + 14 * 24 * HOUR).toISOString() });
    expect(amended.status).toBe(201);
    const lifted = await stack.request('POST', `/api/v1/zones/lockdowns/${id}/lift`, 'province.commander', { decisionNumber: '47/QĐ-BCĐ' });
    expect(lifted.status).toBe(201);
    expect(lifted.body.state).toBe('lifted');
    expect((await stack.request('POST', `/api/v1/zones/lockdowns/${id}/lift`, 'province.commander', { decisionNumber: '48' })).status).toBe(409);
    expect((await stack.request('POST', `/api/v1/zones/lockdowns/${id}/amend`, 'province.commander', { decisionNumber: '49', plannedEnd: new Date(now + 30 * 24 * HOUR).toISOString() })).status).toBe(409);
    const types = (await stack.db.query(`SELECT type FROM event_log WHERE payload->>'lockdownId' = $1 ORDER BY seq`, [id])).rows.map((r) => r.type);
    expect(types).toEqual(['lockdown.declared', 'lockdown.ending-soon', 'lockdown.amended', 'lockdown.lifted']);
  });

  it('locks down whole units; the unit area holds at least what the drawn box holds', async () => {
    const res = await stack.request('POST', '/api/v1/zones/lockdowns', 'province.commander', {
      unit: MONG_CAI,
      decisionNumber: '50/QĐ-BCĐ',
      unitCodes: [MONG_CAI],
      startsAt: new Date().toISOString(),
      plannedEnd: new Date(Date.now() + 7 * 24 * HOUR).toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body.areaUnits).toEqual([MONG_CAI]);
    const counts = (await stack.request('GET', `/api/v1/zones/lockdowns/${res.body.id}/counts`, 'province.duty')).body;
    expect(counts.f0).toBeGreaterThanOrEqual(expected.f0);
    const list = await stack.request('GET', `/api/v1/zones/lockdowns?unit=${MONG_CAI}&active=true`, DISTRICTS.mongCai.account);
    expect(list.body.lockdowns.map((l: { id: string }) => l.id)).toEqual([res.body.id]);
  });

  it('refuses bad areas and dates naming the field, other roles and other jurisdictions', async () => {
    const base = { unit: MONG_CAI, decisionNumber: '1/QĐ', startsAt: new Date().toISOString(), plannedEnd: new Date(Date.now() + HOUR).toISOString() };
    const both = await stack.request('POST', '/api/v1/zones/lockdowns', 'province.commander', { ...base, area: polygon, unitCodes: [MONG_CAI] });
    expect(both.status).toBe(400);
    expect(both.body.details[0].path).toBe('body.area');
    const backwards = await stack.request('POST', '/api/v1/zones/lockdowns', 'province.commander', { ...base, area: polygon, plannedEnd: new Date(Date.now() - HOUR).toISOString() });
    expect(backwards.body.details[0].path).toBe('body.plannedEnd');
    const bowtie = { type: 'Polygon', coordinates: [[[107.86, 21.36], [107.9, 21.39], [107.9, 21.36], [107.86, 21.39], [107.86, 21.36]]] };
    const invalid = await stack.request('POST', '/api/v1/zones/lockdowns', 'province.commander', { ...base, area: bowtie });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details[0]).toMatchObject({ path: 'body.area', message: expect.stringMatching(/not a valid polygon/) });
    expect((await stack.request('POST', '/api/v1/zones/lockdowns', 'province.commander', { ...base, area: { type: 'Point', coordinates: [107, 21] } })).status).toBe(400);
    expect((await stack.request('POST', '/api/v1/zones/lockdowns', DISTRICTS.mongCai.account, { ...base, area: polygon })).status).toBe(403);
    expect((await stack.request('POST', '/api/v1/zones/lockdowns', 'ha-long.commander', { ...base, area: polygon })).status).toBe(403);
    expect((await stack.request('POST', '/api/v1/zones/lockdowns', 'ha-long.commander', { ...base, unit: DISTRICTS.haLong.code, unitCodes: [MONG_CAI] })).status).toBe(403);
    expect(await stack.count(`SELECT count(*) FROM lockdowns WHERE decision_number = '1/QĐ'`)).toBe(0);
  });

  it('keeps the zone level history of a unit with its decision and effective time', async () => {
    const first = await stack.request('POST', '/api/v1/zones/levels', 'province.commander', { unit: MONG_CAI, level: 'yellow', decisionRef: '10/QĐ-UBND', effectiveAt: new Date(Date.now() - 2 * HOUR).toISOString() });
    expect(first.status).toBe(201);
    const second = await stack.request('POST', '/api/v1/zones/levels', 'province.commander', { unit: MONG_CAI, level: 'red', decisionRef: '11/QĐ-UBND' });
    expect(second.status).toBe(201);
    const levels = await stack.request('GET', `/api/v1/zones/levels?unit=${MONG_CAI}`, DISTRICTS.mongCai.account);
    expect(levels.body.current).toBe('red');
    expect(levels.body.history.map((h: { level: string; decisionRef: string }) => [h.level, h.decisionRef])).toEqual([
      ['red', '11/QĐ-UBND'],
      ['yellow', '10/QĐ-UBND'],
    ]);
    const event = (await stack.db.query(`SELECT payload FROM event_log WHERE id = $1`, [second.body.eventId])).rows[0].payload;
    expect(event).toMatchObject({ level: 'red', previous: 'yellow', decisionRef: '11/QĐ-UBND' });
    const bad = await stack.request('POST', '/api/v1/zones/levels', 'province.commander', { unit: MONG_CAI, level: 'purple', decisionRef: 'x' });
    expect(bad.body.details[0].path).toBe('body.level');
    expect((await stack.request('POST', '/api/v1/zones/levels', DISTRICTS.mongCai.account, { unit: MONG_CAI, level: 'green', decisionRef: 'x' })).status).toBe(403);
    expect((await stack.request('POST', '/api/v1/zones/levels', 'ha-long.commander', { unit: MONG_CAI, level: 'green', decisionRef: 'x' })).status).toBe(403);
    expect((await stack.request('GET', `/api/v1/zones/levels?unit=${MONG_CAI}`, 'ha-long.commander')).status).toBe(403);
  });
});
