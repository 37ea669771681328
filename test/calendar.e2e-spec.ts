import { randomUUID } from 'node:crypto';
import { DAY_MS, HOUR_MS, parseCalendar } from '@frontline/roster';
import { DISTRICTS } from './support/factories';
import { TestStack } from './support/stack';

/** iCal feeds of duty shifts (docs/decisions/0014-roster-feeds-and-schedules.md). */
describe('calendar feeds (iCal, tokenised URLs)', () => {
  const stack = new TestStack();
  const CMD = 'province.commander';
  const SELF = 'mong-cai.calendar.self';
  const OTHER_OFFICER = DISTRICTS.mongCai.account;
  const OUTSIDE_CMD = 'ha-long.calendar.commander';
  const marker = (f: string) => `MARKER-${f}-${randomUUID().slice(0, 8)}`;
  const secrets = [marker('personal-phone-a'), marker('notes-a'), marker('personal-phone-c')];
  let centerId: string;
  let a: string;
  let b: string;
  let c: string;

  async function one(sql: string, params: unknown[] = []): Promise<string> {
    const { rows } = await stack.db.query(sql, params);
    return String((rows[0] as { id: string }).id);
  }

  async function fetchFeed(url: string) {
    const res = await fetch(url);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  beforeAll(async () => {
    await stack.start();
    await stack.createAccount(SELF, 'duty-officer', DISTRICTS.mongCai.code);
    await stack.createAccount(OUTSIDE_CMD, 'commander', DISTRICTS.haLong.code);
    centerId = await one(
      `INSERT INTO command_centers (unit_code, name, hotline, address, public)
       VALUES ($1, 'Tổ thử lịch, Móng Cái; ca đêm', '0203 3888 000', 'Số 2 phố Lịch, Móng Cái', true) RETURNING id`,
      [DISTRICTS.mongCai.code],
    );
    await stack.db.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, required_count, sort_order) VALUES
       ($1, 'commander', 'Chỉ huy trực', 1, 0), ($1, 'duty-officer', 'Cán bộ trực ban', 1, 1)`,
      [centerId],
    );
    a = await one(
      `INSERT INTO duty_staff (center_id, full_name, public_phone, personal_phone, notes, user_id)
       VALUES ($1, 'Hoàng Văn Lịch', '0203 3888 101', $2, $3, (SELECT id FROM users WHERE username = $4)) RETURNING id`,
      [centerId, secrets[0], secrets[1], SELF],
    );
    b = await one(
      `INSERT INTO duty_staff (center_id, full_name, public_phone) VALUES ($1, 'Ngô Thị Ca', '0203 3888 102') RETURNING id`,
      [centerId],
    );
    c = await one(
      `INSERT INTO duty_staff (center_id, full_name, personal_phone) VALUES ($1, 'Lê Văn Chỉ Huy', $2) RETURNING id`,
      [centerId, secrets[2]],
    );
    await stack.db.query(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, valid_from) VALUES
       ($1, 'duty-officer', 12, '2021-01-01 07:00', $2::uuid[], '2021-01-01'),
       ($1, 'commander', 24, '2021-01-01 07:00', $3::uuid[], '2021-01-01')`,
      [centerId, [a, b], [c]],
    );
  }, 90_000);
  afterAll(() => stack.stop());

  let centerFeed: { id: string; url: string };
  let personFeed: { id: string; url: string };

  it('creates feeds: a center feed by its commander, a person feed by the person; refusals', async () => {
    const missing = await stack.request('POST', '/api/v1/calendar/feeds', CMD, { kind: 'center' });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].path).toBe('body.centerId');
    const unknownPerson = await stack.request('POST', '/api/v1/calendar/feeds', CMD, {
      kind: 'person',
      staffId: randomUUID(),
    });
    expect(unknownPerson.status).toBe(400);
    expect(unknownPerson.body.details[0].path).toBe('body.staffId');
    expect(
      (
        await stack.request('POST', '/api/v1/calendar/feeds', OUTSIDE_CMD, {
          kind: 'center',
          centerId,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await stack.request('POST', '/api/v1/calendar/feeds', OTHER_OFFICER, {
          kind: 'center',
          centerId,
        })
      ).status,
    ).toBe(403);
    // A duty officer may have the feed of their own duty only.
    expect(
      (
        await stack.request('POST', '/api/v1/calendar/feeds', OTHER_OFFICER, {
          kind: 'person',
          staffId: a,
        })
      ).status,
    ).toBe(403);

    const center = await stack.request('POST', '/api/v1/calendar/feeds', CMD, {
      kind: 'center',
      centerId,
      label: 'Bảng trực phòng chỉ huy',
    });
    expect(center.status).toBe(201);
    expect(center.body).toMatchObject({ kind: 'center', centerId, staffId: null, revokedAt: null });
    expect(center.body.url).toMatch(/\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    centerFeed = center.body;
    const person = await stack.request('POST', '/api/v1/calendar/feeds', SELF, {
      kind: 'person',
      staffId: a,
    });
    expect(person.status).toBe(201);
    expect(person.body).toMatchObject({ kind: 'person', centerId, staffId: a });
    personFeed = person.body;

    // The token is stored hashed only.
    const token = centerFeed.url.split('/').pop()!.replace('.ics', '');
    expect(
      await stack.count(`SELECT count(*) FROM calendar_feeds WHERE token_hash = $1 OR label = $1`, [
        token,
      ]),
    ).toBe(0);
    // Lists never show a URL; a duty officer sees their own feeds only.
    const all = await stack.request('GET', `/api/v1/calendar/feeds?centerId=${centerId}`, CMD);
    expect(all.body.map((f: { id: string }) => f.id)).toEqual([centerFeed.id, personFeed.id]);
    expect(JSON.stringify(all.body)).not.toContain(token);
    const own = await stack.request('GET', `/api/v1/calendar/feeds?centerId=${centerId}`, SELF);
    expect(own.body.map((f: { id: string }) => f.id)).toEqual([personFeed.id]);
  });

  it('a center feed: every shift of the past 7 and next 60 days in UTC, public fields only, stable UIDs', async () => {
    const now = Date.now();
    const first = await fetchFeed(centerFeed.url);
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/^text\/calendar/);
    expect(first.text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    for (const line of first.text.split('\r\n'))
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    for (const s of secrets) expect(first.text).not.toContain(s);
    // Escaped TEXT: the center name's comma and semicolon.
    expect(first.text.replace(/\r\n /g, '')).toContain('Tổ thử lịch\\, Móng Cái\\; ca đêm');

    const events = parseCalendar(first.text);
    const officer = events.filter((e) => e.SUMMARY.startsWith('Cán bộ trực ban'));
    const commander = events.filter((e) => e.SUMMARY.startsWith('Chỉ huy trực'));
    // 67 days of 12-hour and 24-hour shifts (one more each for the one in progress at each edge).
    expect(officer.length).toBeGreaterThanOrEqual(134);
    expect(officer.length).toBeLessThanOrEqual(136);
    expect(commander.length).toBeGreaterThanOrEqual(67);
    expect(commander.length).toBeLessThanOrEqual(68);
    const toMs = (v: string) =>
      Date.parse(v.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    for (const e of officer) {
      // 07:00 and 19:00 in Hồ Chí Minh time are 00:00 and 12:00 UTC.
      expect(e.DTSTART).toMatch(/T(000000|120000)Z$/);
      expect(toMs(e.DTEND) - toMs(e.DTSTART)).toBe(12 * HOUR_MS);
      expect(toMs(e.DTEND)).toBeGreaterThan(now - 7 * DAY_MS - 60_000);
      expect(toMs(e.DTSTART)).toBeLessThan(now + 60 * DAY_MS + 60_000);
      expect(e.LOCATION).toBe('Số 2 phố Lịch, Móng Cái');
      expect(e.DESCRIPTION).toContain('Đường dây nóng: 0203 3888 000');
    }
    const names = new Set(officer.map((e) => e.SUMMARY));
    expect(names).toEqual(
      new Set(['Cán bộ trực ban: Hoàng Văn Lịch', 'Cán bộ trực ban: Ngô Thị Ca']),
    );
    expect(officer.some((e) => e.DESCRIPTION.includes('Hoàng Văn Lịch (0203 3888 101)'))).toBe(
      true,
    );
    // The commander has no published number: the name only, never the personal phone.
    expect(commander[0].DESCRIPTION).toContain('Người trực: Lê Văn Chỉ Huy\n');
    for (const e of commander) expect(e.DTSTART).toMatch(/T000000Z$/);
    const uids = events.map((e) => e.UID);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids[0]).toMatch(
      new RegExp(`^center-${centerId}-(commander|duty-officer)-\\d{8}T\\d{6}Z@frontline$`),
    );

    const second = parseCalendar((await fetchFeed(centerFeed.url)).text);
    expect(second.map((e) => e.UID).slice(0, 50)).toEqual(uids.slice(0, 50));
  });

  it("a person feed: that person's shifts only", async () => {
    const feed = await fetchFeed(personFeed.url);
    expect(feed.status).toBe(200);
    for (const s of secrets) expect(feed.text).not.toContain(s);
    const events = parseCalendar(feed.text);
    expect(events.length).toBeGreaterThanOrEqual(67);
    expect(events.length).toBeLessThanOrEqual(68);
    for (const e of events) {
      expect(e.SUMMARY).toBe('Trực Cán bộ trực ban – Tổ thử lịch, Móng Cái; ca đêm');
      expect(e.DESCRIPTION).toContain('Hoàng Văn Lịch');
      expect(e.DESCRIPTION).not.toContain('Ngô Thị Ca');
      expect(e.UID.startsWith(`person-${a}-duty-officer-`)).toBe(true);
    }
    // Every other 12-hour shift: 24 hours apart.
    const starts = events.map((e) => e.DTSTART).sort();
    expect(starts[1].slice(9)).toBe(starts[0].slice(9));
  });

  it('a wrong token is 404; a revoked one 410; only the commander or the creator revokes', async () => {
    const base = centerFeed.url.slice(0, centerFeed.url.lastIndexOf('/'));
    expect((await fetchFeed(`${base}/${'x'.repeat(43)}.ics`)).status).toBe(404);
    expect((await fetchFeed(`${base}/not-a-token.ics`)).status).toBe(404);
    expect((await fetchFeed(centerFeed.url.replace('.ics', ''))).status).toBe(404);

    expect(
      (await stack.request('DELETE', `/api/v1/calendar/feeds/${personFeed.id}`, OTHER_OFFICER))
        .status,
    ).toBe(403);
    expect(
      (await stack.request('DELETE', `/api/v1/calendar/feeds/${centerFeed.id}`, OUTSIDE_CMD))
        .status,
    ).toBe(403);
    const revoked = await stack.request('DELETE', `/api/v1/calendar/feeds/${centerFeed.id}`, CMD);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await fetchFeed(centerFeed.url)).status).toBe(410);
    const own = await stack.request('DELETE', `/api/v1/calendar/feeds/${personFeed.id}`, SELF);
    expect(own.status).toBe(200);
    expect((await fetchFeed(personFeed.url)).status).toBe(410);
    // Again: harmless, the same revocation.
    const again = await stack.request('DELETE', `/api/v1/calendar/feeds/${centerFeed.id}`, CMD);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });
});

describe('calendar feeds in a deployment outside Vietnam (FRONTLINE_TIMEZONE=Asia/Tokyo)', () => {
  const stack = new TestStack({ env: { FRONTLINE_TIMEZONE: 'Asia/Tokyo' } });
  afterAll(() => stack.stop());

  it('places the shifts at the rotation\'s local times in that zone and says which zone it is', async () => {
    await stack.start();
    const { rows } = await stack.db.query(
      `INSERT INTO command_centers (unit_code, name, hotline, address, public)
       VALUES ($1, 'Tổ thử múi giờ', '0203 3888 009', 'Số 9 phố Giờ', true) RETURNING id`,
      [DISTRICTS.mongCai.code],
    );
    const centerId = String((rows[0] as { id: string }).id);
    await stack.db.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, required_count, sort_order) VALUES ($1, 'duty-officer', 'Cán bộ trực ban', 1, 0)`,
      [centerId],
    );
    const staff = await stack.db.query(
      `INSERT INTO duty_staff (center_id, full_name, public_phone) VALUES ($1, 'Trần Văn Giờ', '0203 3888 109') RETURNING id`,
      [centerId],
    );
    await stack.db.query(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, valid_from)
       VALUES ($1, 'duty-officer', 12, '2021-01-01 07:00', $2::uuid[], '2021-01-01')`,
      [centerId, [(staff.rows[0] as { id: string }).id]],
    );
    const created = await stack.request('POST', '/api/v1/calendar/feeds', 'province.commander', { kind: 'center', centerId });
    expect(created.status).toBe(201);
    const text = await (await fetch(created.body.url as string)).text();

    expect(text).toContain('\r\nX-WR-TIMEZONE:Asia/Tokyo\r\n');
    const starts = parseCalendar(text).map((e) => e.DTSTART);
    expect(starts.length).toBeGreaterThanOrEqual(134);
    // 07:00 and 19:00 in Tokyo are 22:00 and 10:00 UTC (in Hồ Chí Minh they are 00:00 and 12:00).
    for (const start of starts) expect(start).toMatch(/T(220000|100000)Z$/);
  }, 120_000);
});
