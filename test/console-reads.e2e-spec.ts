import { randomUUID } from 'node:crypto';
import type {
  ChildrenFiguresResponse,
  MapPointsResponse,
  SnapshotResponse,
  TrendResponse,
  UnitsGeoJson,
} from '@frontline/contracts';
import { casesOfReferences, createCase, daysAgo, personBody } from './support/cases';
import { DISTRICTS, EventFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const DAY_MS = 86_400_000;
const DISTRICT_CODES = ['193', '194', '195', '196', '198', '199', '200', '201', '202', '203', '205', '206', '207'];
const STYLE_URL = 'https://tiles.example.org/styles/basic/style.json';

/** The calendar day of an instant in Vietnam, as the api counts days. */
function vnDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

function decimals(n: number): number {
  const text = String(n);
  return text.includes('.') ? text.split('.')[1].length : 0;
}

/** Every number in a nested coordinate array. */
function numbersIn(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap(numbersIn) : typeof value === 'number' ? [value] : [];
}

describe('console reads: unit geometry, children figures, trend, map points, console config', () => {
  const stack = new TestStack({ env: { FRONTLINE_BASEMAP_STYLE_URL: STYLE_URL } });
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  describe('GET /api/v1/units/geo', () => {
    it('gives the province and its 13 districts, approximate ones flagged, simplified to 5 decimals, with the root bbox', async () => {
      const res = await stack.request('GET', '/api/v1/units/geo', 'province.duty');
      expect(res.status).toBe(200);
      const geo = res.body as UnitsGeoJson;
      expect(geo.type).toBe('FeatureCollection');
      expect(geo.features.map((f) => f.id).sort()).toEqual(['22', ...DISTRICT_CODES].sort());
      const province = geo.features.find((f) => f.id === '22')!;
      expect(province.properties).toEqual(
        expect.objectContaining({ code: '22', name: 'Quảng Ninh', level: 'province', parentCode: null, approximate: false }),
      );
      for (const f of geo.features.filter((x) => x.id !== '22')) {
        expect(f.properties).toEqual(expect.objectContaining({ level: 'district', parentCode: '22', approximate: true }));
        expect(f.geometry?.type).toMatch(/Polygon$/);
        const coords = numbersIn(f.geometry?.coordinates);
        expect(coords.length).toBeGreaterThan(8);
        expect(Math.max(...coords.map(decimals))).toBeLessThanOrEqual(5);
        const [lon, lat] = f.properties.label!;
        expect(decimals(lon)).toBeLessThanOrEqual(5);
        expect(decimals(lat)).toBeLessThanOrEqual(5);
      }
      const [minLon, minLat, maxLon, maxLat] = geo.bbox!;
      expect(minLon).toBeGreaterThan(106);
      expect(maxLon).toBeLessThan(109);
      expect(minLat).toBeGreaterThan(20);
      expect(maxLat).toBeLessThan(22);
      expect(minLon).toBeLessThan(maxLon);
      expect(minLat).toBeLessThan(maxLat);
      // Every district label lies inside the province's bbox.
      for (const f of geo.features) {
        const [lon, lat] = f.properties.label!;
        expect(lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat).toBe(true);
      }
    });

    it('defaults to the caller\'s unit: a district gets only itself, with its own smaller bbox', async () => {
      const province = (await stack.request('GET', '/api/v1/units/geo?root=22', 'province.commander')).body as UnitsGeoJson;
      const res = await stack.request('GET', '/api/v1/units/geo', DISTRICTS.mongCai.account);
      expect(res.status).toBe(200);
      const geo = res.body as UnitsGeoJson;
      expect(geo.features.map((f) => f.id)).toEqual(['194']);
      expect(geo.features[0].properties.approximate).toBe(true);
      const [minLon, minLat, maxLon, maxLat] = geo.bbox!;
      const [pMinLon, pMinLat, pMaxLon, pMaxLat] = province.bbox!;
      expect(minLon).toBeGreaterThanOrEqual(pMinLon);
      expect(minLat).toBeGreaterThanOrEqual(pMinLat);
      expect(maxLon).toBeLessThanOrEqual(pMaxLon);
      expect(maxLat).toBeLessThanOrEqual(pMaxLat);
      expect(maxLon - minLon).toBeLessThan(pMaxLon - pMinLon);
    });

    it('refuses roots outside the jurisdiction (403), unknown ones (404) and bad input (400 naming the field)', async () => {
      expect((await stack.request('GET', '/api/v1/units/geo?root=22', DISTRICTS.mongCai.account)).status).toBe(403);
      expect((await stack.request('GET', '/api/v1/units/geo?root=193', DISTRICTS.mongCai.account)).status).toBe(403);
      expect((await stack.request('GET', '/api/v1/units/geo?root=99999', 'province.duty')).status).toBe(404);
      const bad = await stack.request('GET', '/api/v1/units/geo?root=M%C3%B3ng', 'province.duty');
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].path).toBe('query.root');
      const unknown = await stack.request('GET', '/api/v1/units/geo?zoom=3', 'province.duty');
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/zoom/);
      expect((await stack.request('GET', '/api/v1/units/geo', null)).status).toBe(401);
    });
  });

  describe('GET /api/v1/units/:code/children', () => {
    it('gives each district\'s counters (the snapshot\'s definitions) and its last event time, drills left out', async () => {
      const mongCai = DISTRICTS.mongCai.code;
      const camPha = DISTRICTS.camPha.code;
      const source = EventFactory.caseConfirmed().inUnit(mongCai).build();
      await stack.postEvents('province.duty', [
        source,
        EventFactory.caseConfirmed().inUnit(mongCai).build(),
        EventFactory.caseConfirmed().inUnit(mongCai).ago(2 * DAY_MS).build(),
        EventFactory.caseConfirmed().inUnit(mongCai).asDrill().build(),
        EventFactory.contactIdentified(String(source.payload.caseId)).inUnit(mongCai).build(),
        EventFactory.testResulted('positive').inUnit(camPha).build(),
        EventFactory.testResulted('negative').inUnit(camPha).build(),
        EventFactory.testResulted('negative').inUnit(camPha).build(),
        EventFactory.reportReceived().inUnit(camPha).build(),
      ]);
      const children = await waitFor<ChildrenFiguresResponse | null>('children figures', async () => {
        const res = await stack.request('GET', '/api/v1/units/22/children', 'province.duty');
        const body = res.body as ChildrenFiguresResponse;
        const c = body.children.find((x) => x.code === camPha);
        return c?.counters.openReports === 1 ? body : null;
      }).then((body) => body!);
      expect(children.unit).toBe('22');
      expect(children.day).toBe(vnDay(Date.now()));
      expect(children.children.map((c) => c.code).sort()).toEqual([...DISTRICT_CODES].sort());
      const byCode = new Map(children.children.map((c) => [c.code, c]));
      expect(byCode.get(mongCai)!.counters).toEqual({
        f0Today: 2,
        f0Last7Days: 3,
        f1Active: 1,
        testsToday: 0,
        positivesToday: 0,
        openReports: 0,
      });
      expect(byCode.get(camPha)!.counters).toEqual({
        f0Today: 0,
        f0Last7Days: 0,
        f1Active: 0,
        testsToday: 3,
        positivesToday: 1,
        openReports: 1,
      });
      for (const code of [mongCai, camPha]) {
        const at = Date.parse(byCode.get(code)!.lastEventAt!);
        expect(Math.abs(Date.now() - at)).toBeLessThan(60_000);
        const snapshot = (await stack.request('GET', `/api/v1/snapshot?unit=${code}`, 'province.duty')).body as SnapshotResponse;
        expect(byCode.get(code)!.counters).toEqual(snapshot.counters);
      }
      expect(byCode.get(DISTRICTS.coTo.code)).toEqual({
        code: DISTRICTS.coTo.code,
        counters: { f0Today: 0, f0Last7Days: 0, f1Active: 0, testsToday: 0, positivesToday: 0, openReports: 0 },
        lastEventAt: null,
      });
    });

    it('is scoped: a district may ask about itself (no children) but not about the province', async () => {
      const own = await stack.request('GET', '/api/v1/units/194/children', DISTRICTS.mongCai.account);
      expect(own.status).toBe(200);
      expect(own.body).toEqual({ unit: '194', day: expect.any(String), children: [] });
      expect((await stack.request('GET', '/api/v1/units/22/children', DISTRICTS.mongCai.account)).status).toBe(403);
      expect((await stack.request('GET', '/api/v1/units/99999/children', 'province.duty')).status).toBe(404);
      const bad = await stack.request('GET', '/api/v1/units/M%C3%B3ng/children', 'province.duty');
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].path).toBe('params.code');
    });
  });

  describe('GET /api/v1/trend', () => {
    it('has every day up to today in Vietnam, quiet days as zeros', async () => {
      const unit = DISTRICTS.binhLieu.code;
      await stack.postEvents('province.duty', [
        EventFactory.caseConfirmed().inUnit(unit).build(),
        EventFactory.caseConfirmed().inUnit(unit).ago(3 * DAY_MS).build(),
        EventFactory.testResulted('positive').inUnit(unit).ago(3 * DAY_MS).build(),
        EventFactory.reportReceived('other').inUnit(unit).ago(3 * DAY_MS).build(),
        EventFactory.caseConfirmed().inUnit(unit).ago(3 * DAY_MS).asDrill().build(),
      ]);
      const trend = await waitFor('trend', async () => {
        const body = (await stack.request('GET', `/api/v1/trend?unit=${unit}&days=5`, DISTRICTS.binhLieu.account)).body as TrendResponse;
        return body.days?.[4]?.f0 === 1 && body.days[1].reports === 1 ? body : null;
      }).then((body) => body!);
      const now = Date.now();
      expect(trend.unit).toBe(unit);
      expect(trend.days.map((d) => d.day)).toEqual([4, 3, 2, 1, 0].map((n) => vnDay(now - n * DAY_MS)));
      const zero = { f0: 0, f1: 0, tests: 0, positives: 0, reports: 0 };
      expect(trend.days.map(({ day: _day, ...figures }) => figures)).toEqual([
        zero,
        { f0: 1, f1: 0, tests: 1, positives: 1, reports: 1 },
        zero,
        zero,
        { ...zero, f0: 1 },
      ]);
    });

    it('defaults to 14 days of the caller\'s unit and accepts 1..60 only', async () => {
      const res = await stack.request('GET', '/api/v1/trend', DISTRICTS.binhLieu.account);
      expect(res.status).toBe(200);
      expect(res.body.unit).toBe(DISTRICTS.binhLieu.code);
      expect(res.body.days).toHaveLength(14);
      expect((await stack.request('GET', '/api/v1/trend?days=60', 'province.duty')).body.days).toHaveLength(60);
      for (const days of ['0', '61', 'abc', '2.5']) {
        const bad = await stack.request('GET', `/api/v1/trend?days=${days}`, 'province.duty');
        expect(bad.status).toBe(400);
        expect(bad.body.details[0].path).toBe('query.days');
      }
      expect((await stack.request('GET', '/api/v1/trend?unit=193', DISTRICTS.binhLieu.account)).status).toBe(403);
    });
  });

  describe('GET /api/v1/map/points', () => {
    it('gives each layer\'s points of the subtree, coarse, drills flagged, old and unlocated events left out', async () => {
      const unit = DISTRICTS.uongBi.code;
      const f0 = EventFactory.caseConfirmed().inUnit(unit).at(21.03612, 106.77149).build();
      const f0Drill = EventFactory.caseConfirmed().inUnit(unit).at(21.04, 106.78).asDrill().build();
      const f1 = EventFactory.contactIdentified(String(f0.payload.caseId)).inUnit(unit).at(21.0309, 106.7651).build();
      const positive = EventFactory.testResulted('positive').inUnit(unit).at(21.05, 106.75).build();
      const openReport = EventFactory.reportReceived().inUnit(unit).at(21.06, 106.74).build();
      const acknowledgedReport = EventFactory.reportReceived('other').inUnit(unit).at(21.061, 106.741).build();
      const leftOut = [
        EventFactory.caseConfirmed().inUnit(unit).build(), // no location
        EventFactory.caseConfirmed().inUnit(unit).at(21.03, 106.77).ago(20 * DAY_MS).build(), // too old
        EventFactory.contactIdentified(String(f1.payload.contactId), 'F2').inUnit(unit).at(21.03, 106.77).build(), // F2
        EventFactory.testResulted('negative').inUnit(unit).at(21.03, 106.77).build(), // negative
        EventFactory.reportReceived().inUnit(unit).at(21.03, 106.77).ago(10 * DAY_MS).build(), // no longer open
      ];
      const elsewhere = EventFactory.caseConfirmed().inUnit(DISTRICTS.haLong.code).at(20.95, 107.08).build();
      await stack.postEvents('province.duty', [f0, f0Drill, f1, positive, openReport, acknowledgedReport, ...leftOut, elsewhere]);
      const ack = await stack.request('POST', `/api/v1/reports/${acknowledgedReport.id}/acknowledge`, 'province.duty', {});
      expect(ack.status).toBe(201);

      const res = await stack.request('GET', '/api/v1/map/points', DISTRICTS.uongBi.account);
      expect(res.status).toBe(200);
      const points = res.body as MapPointsResponse;
      expect(points.unit).toBe(unit);
      expect(points.layers.f0).toEqual({
        ids: expect.arrayContaining([f0.id, f0Drill.id]),
        lon: expect.any(Array),
        lat: expect.any(Array),
        occurredMs: expect.any(Array),
        drill: [points.layers.f0.ids.indexOf(f0Drill.id)],
      });
      expect(points.layers.f0.ids).toHaveLength(2);
      const i = points.layers.f0.ids.indexOf(f0.id);
      expect([points.layers.f0.lat[i], points.layers.f0.lon[i]]).toEqual([21.036, 106.771]);
      expect(points.layers.f0.occurredMs[i]).toBe(Date.parse(f0.occurredAt));
      expect(points.layers.f1).toEqual({
        ids: [f1.id],
        lon: [106.765],
        lat: [21.031],
        occurredMs: [expect.any(Number)],
        drill: [],
        // The F1 is named by the case the registry made of it (an integration's id is only its reference).
        keys: [(await casesOfReferences(stack, [String(f1.payload.contactId)])).get(String(f1.payload.contactId))],
      });
      expect(points.layers['positive-tests'].ids).toEqual([positive.id]);
      expect(points.layers.reports.ids).toEqual([openReport.id]);
      // Only coarse locations leave the server.
      expect(JSON.stringify(points)).not.toContain('106.77149');

      // The province sees the district's points and the others; a district never sees another's.
      const province = (await stack.request('GET', '/api/v1/map/points?unit=22', 'province.duty')).body as MapPointsResponse;
      expect(province.layers.f0.ids).toEqual(expect.arrayContaining([f0.id, f0Drill.id, elsewhere.id]));
      expect((await stack.request('GET', '/api/v1/map/points?unit=193', DISTRICTS.uongBi.account)).status).toBe(403);
      const bad = await stack.request('GET', '/api/v1/map/points?unit=a%20b', 'province.duty');
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].path).toBe('query.unit');
    });

    it('leaves out F1 whose case was released or reclassified as F0, and names the others by case id', async () => {
      const unit = DISTRICTS.mongCai.code;
      const account = DISTRICTS.mongCai.account;
      const at = { lat: 21.52, lon: 107.96 };
      const source = await createCase(stack, account, { person: personBody(unit, { location: at }), classification: 'F0' });
      const contact = (exposedDaysAgo: number) =>
        createCase(stack, account, {
          person: personBody(unit, { location: at }),
          classification: 'F1',
          sourceCaseId: source.id,
          exposure: { date: daysAgo(exposedDaysAgo), setting: 'household' },
        });
      const [staying, released, reclassified] = [await contact(2), await contact(15), await contact(3)];
      const f1Keys = async () =>
        ((await stack.request('GET', '/api/v1/map/points', account)).body as MapPointsResponse).layers.f1.keys ?? [];
      await waitFor('three F1 points', async () => (await f1Keys()).length >= 3);
      expect(await f1Keys()).toEqual(expect.arrayContaining([staying.id, released.id, reclassified.id]));

      // Monitoring over and a negative exit test: released. A positive confirmed: F1 -> F0.
      const test = (caseId: string, result: string) => ({
        id: randomUUID(),
        type: 'test.resulted',
        unit,
        occurredAt: new Date().toISOString(),
        payload: { testId: `T-${randomUUID()}`, sampleId: 'S-1', method: 'antigen', result, caseId },
      });
      await stack.postEvents(account, [test(released.id, 'negative'), test(reclassified.id, 'positive')]);
      const status = async (id: string) => (await stack.db.query(`SELECT status, proposal_test_id FROM cases WHERE id = $1`, [id])).rows[0];
      await waitFor('release by the rule', async () => (await status(released.id)).status === 'released');
      await waitFor('F0 proposal', async () => (await status(reclassified.id)).proposal_test_id !== null);
      expect((await stack.request('POST', `/api/v1/cases/${reclassified.id}/confirm`, account)).status).toBe(200);

      const keys = await f1Keys();
      expect(keys).toContain(staying.id);
      expect(keys).not.toContain(released.id);
      expect(keys).not.toContain(reclassified.id);
    });

    it('gzips a large answer when the client accepts it, every column lined up with its ids', async () => {
      const unit = DISTRICTS.haLong.code;
      const source = EventFactory.caseConfirmed().inUnit(unit).at(20.88, 107.08).build();
      const many = Array.from({ length: 400 }, (_, i) =>
        EventFactory.contactIdentified(String(source.payload.caseId))
          .inUnit(unit)
          .at(20.9 + i / 1000, 107.1 + (i % 7) / 1000)
          .ago(i * 60_000)
          .build(),
      );
      await stack.postEvents('province.duty', [source, ...many]);
      const caseOf = await casesOfReferences(stack, many.map((e) => String(e.payload.contactId)));
      const res = await fetch(`${stack.apiUrl}/api/v1/map/points?unit=${unit}`, {
        headers: { authorization: `Bearer ${await stack.token('province.duty')}`, 'accept-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const f1 = ((await res.json()) as MapPointsResponse).layers.f1;
      expect(f1.ids).toHaveLength(400);
      // The columns are built side by side (by PostgreSQL): point i of each is the same event.
      const got = f1.ids.map((id, i) => ({ id, lat: f1.lat[i], lon: f1.lon[i], at: f1.occurredMs[i], key: f1.keys?.[i] }));
      const sent = many.map((e) => ({
        id: e.id,
        lat: Math.round(e.location!.lat * 1000) / 1000,
        lon: Math.round(e.location!.lon * 1000) / 1000,
        at: Date.parse(e.occurredAt),
        key: caseOf.get(String(e.payload.contactId)),
      }));
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect(got.sort(byId)).toEqual(sent.sort(byId));
    });
  });

  it('GET /api/v1/console-config needs no token and gives the basemap style and time zone', async () => {
    const res = await stack.request('GET', '/api/v1/console-config', null);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ basemapStyleUrl: STYLE_URL, timeZone: 'Asia/Ho_Chi_Minh' });
  });
});
