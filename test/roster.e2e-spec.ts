import { randomUUID } from 'node:crypto';
import { DISTRICTS } from './support/factories';
import { PrivateRedis } from './support/private-redis';
import { TestStack } from './support/stack';
import { sleep, waitFor } from './support/wait';

/** Every non-public value of the roster model gets one of these; none may ever be published. */
const MARK = (field: string) => `MARKER-${field}-${randomUUID().slice(0, 8)}`;

const PUBLIC_CENTER_KEYS = ['address', 'hotline', 'name', 'nextShiftAt', 'onDuty', 'unit'];

describe('duty rosters: on-duty API and the public duty list', () => {
  const stack = new TestStack();
  const markers: string[] = [];
  const ids: string[] = [];
  let visibleStaff: { name: string; phone: string };

  async function insert(sql: string, params: unknown[]): Promise<string> {
    const { rows } = await stack.db.query(`${sql} RETURNING id`, params);
    const id = String((rows[0] as { id: string }).id);
    ids.push(id);
    return id;
  }
  const mark = (field: string) => {
    const m = MARK(field);
    markers.push(m);
    return m;
  };

  beforeAll(async () => {
    await stack.start();
    // A public center in Móng Cái whose every non-public field holds a marker.
    const center = await insert(
      `INSERT INTO command_centers (unit_code, name, hotline, address, public) VALUES ('194', 'Tổ trực thử nghiệm Móng Cái', '0203 3999 000', 'Số 1 phố Thử (minh họa)', true)`,
      [],
    );
    await stack.db.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, name_en, required_count, sort_order) VALUES ($1, 'duty-officer', 'Cán bộ trực ban', 'Duty officer', 3, 0)`,
      [center],
    );
    visibleStaff = { name: 'Lưu Thị Kiểm Thử', phone: '0203 3999 111' };
    const onDuty = await insert(
      `INSERT INTO duty_staff (center_id, full_name, public_phone, personal_phone, position_codes, notes) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        center,
        visibleStaff.name,
        visibleStaff.phone,
        mark('personal-phone'),
        [mark('position-codes')],
        mark('staff-notes'),
      ],
    );
    const inactive = await insert(
      `INSERT INTO duty_staff (center_id, full_name, public_phone, personal_phone, position_codes, notes, active) VALUES ($1, $2, $3, $4, $5, $6, false)`,
      [
        center,
        mark('inactive-name'),
        mark('inactive-public-phone'),
        mark('inactive-personal-phone'),
        ['duty-officer'],
        mark('inactive-notes'),
      ],
    );
    const away = await insert(
      `INSERT INTO duty_staff (center_id, full_name, public_phone, personal_phone, position_codes) VALUES ($1, $2, $3, $4, '{duty-officer}')`,
      [
        center,
        mark('on-leave-name'),
        mark('on-leave-public-phone'),
        mark('on-leave-personal-phone'),
      ],
    );
    const special = await insert(
      `INSERT INTO duty_special_days (center_id, day, name, created_by) VALUES ($1, '2031-01-23', $2, $3)`,
      [center, mark('special-day-name'), mark('special-day-created-by')],
    );
    await insert(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from, created_by) VALUES ($1, 'duty-officer', 24, '2021-01-01 00:00', $2::uuid[], 3, '2021-01-01', $3)`,
      [center, [onDuty, inactive, away], mark('rotation-created-by')],
    );
    await insert(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from, special_day_id) VALUES ($1, 'duty-officer', 24, '2031-01-23 00:00', $2::uuid[], 1, '2031-01-23', $3)`,
      [center, [inactive], special],
    );
    await insert(
      `INSERT INTO duty_leave (staff_id, starts_at, ends_at, reason) VALUES ($1, now() - interval '3 days', now() + interval '3 days', $2)`,
      [away, mark('leave-reason')],
    );
    await insert(
      `INSERT INTO duty_overrides (center_id, position_code, shift_start, out_staff_id, in_staff_id, reason, created_by) VALUES ($1, 'duty-officer', date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh' + interval '1 day') AT TIME ZONE 'Asia/Ho_Chi_Minh', $2, $3, $4, $5)`,
      [center, onDuty, away, mark('override-reason'), mark('override-created-by')],
    );
    await insert(
      `INSERT INTO duty_swaps (center_id, staff_a, position_a, shift_start_a, staff_b, position_b, shift_start_b, status, reason, approved_by) VALUES ($1, $2, 'duty-officer', now(), $3, 'duty-officer', now() + interval '1 day', 'proposed', $4, $5)`,
      [center, onDuty, away, mark('swap-reason'), mark('swap-approved-by')],
    );
    await insert(
      `INSERT INTO duty_swaps (center_id, staff_a, position_a, shift_start_a, staff_b, position_b, shift_start_b, status, reason, rejected_by, rejected_at, reject_reason) VALUES ($1, $2, 'duty-officer', now(), $3, 'duty-officer', now() + interval '1 day', 'rejected', $4, $5, now(), $6)`,
      [
        center,
        onDuty,
        away,
        mark('rejected-swap-reason'),
        mark('swap-rejected-by'),
        mark('swap-reject-reason'),
      ],
    );
    await insert(
      `INSERT INTO calendar_feeds (token_hash, kind, center_id, label, created_by) VALUES ($1, 'center', $2, $3, (SELECT id FROM users ORDER BY username LIMIT 1))`,
      [mark('feed-token-hash'), center, mark('feed-label')],
    );
    // A center that is not public at all: nothing of it may appear.
    const hidden = await insert(
      `INSERT INTO command_centers (unit_code, name, hotline, address, public) VALUES ('194', $1, $2, $3, false)`,
      [mark('private-center-name'), mark('private-center-hotline'), mark('private-center-address')],
    );
    await stack.db.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, name_en) VALUES ($1, 'commander', $2, $3)`,
      [hidden, mark('private-position-vi'), mark('private-position-en')],
    );
    const hiddenStaff = await insert(
      `INSERT INTO duty_staff (center_id, full_name, public_phone, personal_phone) VALUES ($1, $2, $3, $4)`,
      [
        hidden,
        mark('private-staff-name'),
        mark('private-staff-phone'),
        mark('private-staff-personal'),
      ],
    );
    await insert(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, valid_from) VALUES ($1, 'commander', 12, '2021-01-01 07:00', $2::uuid[], '2021-01-01')`,
      [hidden, [hiddenStaff]],
    );
  }, 90_000);
  afterAll(() => stack.stop());

  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${stack.apiUrl}${path}`, { headers, redirect: 'manual' });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  it('publishes only whitelisted fields: no marker of any non-public field in the JSON or the pages', async () => {
    // Now, and the history view (`at`) of the same moment: the same whitelist.
    const nowIso = encodeURIComponent(new Date().toISOString());
    const bodies = [
      await get('/api/v1/public/duty'),
      await get('/api/v1/public/duty?q=mong%20cai'),
      await get('/duty', { accept: 'text/html' }),
      await get('/duty?q=mong%20cai&lang=en', { accept: 'text/html' }),
      await get(`/api/v1/public/duty?q=mong%20cai&at=${nowIso}`),
      await get(`/duty?q=mong%20cai&at=${nowIso}`, { accept: 'text/html' }),
    ];
    // On the special day (its own rotation: the inactive person only), nobody of it shows.
    const special = [
      await get('/api/v1/public/duty?q=mong%20cai&at=2031-01-23T05:00:00Z'),
      await get('/duty?q=mong%20cai&at=2031-01-23T12:00', { accept: 'text/html' }),
    ];
    for (const b of special) {
      expect(b.status).toBe(200);
      for (const m of markers) expect(b.text).not.toContain(m);
      for (const id of ids) expect(b.text).not.toContain(id);
    }
    const past = JSON.parse(special[0].text) as {
      at: string;
      centers: { name: string; onDuty: unknown[] }[];
    };
    expect(past.at).toBe('2031-01-23T05:00:00.000Z');
    expect(past.centers.find((c) => c.name === 'Tổ trực thử nghiệm Móng Cái')!.onDuty).toEqual([]);
    for (const b of bodies) {
      expect(b.status).toBe(200);
      for (const m of markers) expect(b.text).not.toContain(m);
      for (const id of ids) expect(b.text).not.toContain(id);
      // Positive control: the person on duty and the published number are there.
      expect(b.text).toContain(visibleStaff.name);
      expect(b.text).toContain(visibleStaff.phone);
    }
    const json = JSON.parse(bodies[0].text) as {
      updatedAt: string;
      centers: Record<string, unknown>[];
    };
    expect(Object.keys(json).sort()).toEqual(['centers', 'updatedAt']);
    expect(json.centers.length).toBe(15); // province + 13 districts + the test center; not the hidden one
    for (const c of json.centers) {
      expect(Object.keys(c).sort()).toEqual(PUBLIC_CENTER_KEYS);
      for (const p of c.onDuty as Record<string, unknown>[])
        expect(Object.keys(p).sort()).toEqual(['name', 'phone', 'position']);
    }
    // Seeded centers are staffed 24/7: commander 1, duty officers 2, medical 1, police 1.
    const seeded = json.centers.find((c) => c.unit === 'Hạ Long')!;
    expect((seeded.onDuty as unknown[]).length).toBe(5);
    expect(Date.parse(String(seeded.nextShiftAt))).toBeGreaterThan(Date.now());
    expect(Date.parse(String(seeded.nextShiftAt))).toBeLessThanOrEqual(Date.now() + 8 * 3_600_000);
    const test = json.centers.find((c) => c.name === 'Tổ trực thử nghiệm Móng Cái')!;
    expect(test.onDuty).toEqual([
      { position: 'duty-officer', name: visibleStaff.name, phone: visibleStaff.phone },
    ]);
  });

  it('searches by unit name without accents, any case', async () => {
    for (const q of ['mong cai', 'MÓNG CÁI', 'Mong  Cai', 'móng']) {
      const res = await get(`/api/v1/public/duty?q=${encodeURIComponent(q)}`);
      const body = JSON.parse(res.text) as { centers: { unit: string }[] };
      expect(body.centers.length).toBe(2);
      expect(body.centers.every((c) => c.unit === 'Móng Cái')).toBe(true);
    }
    const haLong = JSON.parse((await get('/api/v1/public/duty?q=ha%20long')).text) as {
      centers: { unit: string; name: string }[];
    };
    expect(haLong.centers.map((c) => c.unit)).toEqual(['Hạ Long']);
    expect(JSON.parse((await get('/api/v1/public/duty?q=zzz')).text).centers).toEqual([]);
    expect((await get('/api/v1/public/duty?secret=1')).status).toBe(400);
  });

  it('serves the page with cache headers, gzip, under 30 KB, with tel: links, not the console', async () => {
    const page = await get('/duty', { accept: 'text/html', 'accept-encoding': 'gzip' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toMatch(/max-age=15/);
    expect(page.text).toContain('data-testid="center"');
    expect(page.text).not.toContain('<div id="root">');
    expect(page.text).toMatch(/href="tel:0203\d+"/);
    expect(Buffer.byteLength(page.text)).toBeLessThan(30 * 1024); // uncompressed, all 15 centers
    const res = await fetch(`${stack.apiUrl}/duty`, { headers: { 'accept-encoding': 'gzip' } });
    const compressed = Number(res.headers.get('content-length'));
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(compressed).toBeGreaterThan(0);
    expect(compressed).toBeLessThan(30 * 1024);
    const one = await get('/duty?q=co%20to', { accept: 'text/html' });
    expect(one.text.length).toBeLessThan(30 * 1024);
    expect(one.text).toContain('Cô Tô');
  });

  it('redirects /truc-ban to /duty permanently, keeping the query', async () => {
    const res = await get('/truc-ban?q=mong%20cai', { accept: 'text/html' });
    expect([301, 308]).toContain(res.status);
    expect(res.headers.get('location')).toBe('/duty?q=mong%20cai');
    const bare = await get('/truc-ban');
    expect(bare.headers.get('location')).toBe('/duty');
  });

  it('on-duty API: scoped to the jurisdiction, computed for any instant', async () => {
    expect((await stack.request('GET', '/api/v1/roster/on-duty?unit=194', null)).status).toBe(401);
    const other = await stack.request(
      'GET',
      '/api/v1/roster/on-duty?unit=193',
      DISTRICTS.mongCai.account,
    );
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(
      (await stack.request('GET', '/api/v1/roster/on-duty?unit=22', DISTRICTS.mongCai.account))
        .status,
    ).toBe(403);

    const { rows } = await stack.db.query(
      `SELECT r.staff_ids::text[] AS staff FROM duty_rotations r JOIN command_centers c ON c.id = r.center_id
       WHERE c.unit_code = '194' AND c.name LIKE 'Trung tâm%' AND r.position_code = 'commander'`,
    );
    const commanders = (rows[0] as { staff: string[] }).staff;
    // Shift 0 of the seeded 12-hour rotation is 2021-08-30 07:00 (UTC+7), shift 1 at 19:00.
    for (const [at, expected] of [
      ['2021-08-30T08:00:00+07:00', commanders[0]],
      ['2021-08-30T23:30:00+07:00', commanders[1]],
      ['2021-08-31T06:59:00+07:00', commanders[1]],
      ['2021-08-31T07:00:00+07:00', commanders[0]],
    ]) {
      const res = await stack.request(
        'GET',
        `/api/v1/roster/on-duty?unit=194&at=${encodeURIComponent(at)}`,
        DISTRICTS.mongCai.account,
      );
      expect(res.status).toBe(200);
      const main = res.body.centers.find((c: { name: string }) => c.name.startsWith('Trung tâm'));
      const commander = main.positions.find(
        (p: { position: string }) => p.position === 'commander',
      );
      expect(commander.people.map((p: { staffId: string }) => p.staffId)).toEqual([expected]);
    }

    const own = await stack.request(
      'GET',
      '/api/v1/roster/on-duty?unit=194',
      DISTRICTS.mongCai.account,
    );
    expect(own.status).toBe(200);
    expect(own.body.centers).toHaveLength(3); // the seeded one, the test one, the non-public one
    expect(JSON.stringify(own.body)).not.toContain('personalPhone');
    const test = own.body.centers.find(
      (c: { name: string }) => c.name === 'Tổ trực thử nghiệm Móng Cái',
    );
    expect(test.positions[0]).toMatchObject({
      position: 'duty-officer',
      requiredCount: 3,
      understaffed: true,
    });
    expect(test.positions[0].people).toHaveLength(1);

    const before = await stack.count(
      `SELECT count(*) FROM audit_log WHERE record_type = 'duty-staff'`,
    );
    const commander = await stack.request(
      'GET',
      '/api/v1/roster/on-duty?unit=194',
      'province.commander',
    );
    expect(commander.status).toBe(200);
    const people = commander.body.centers.flatMap(
      (c: { positions: { people: { personalPhone?: string }[] }[] }) =>
        c.positions.flatMap((p) => p.people),
    );
    expect(people.length).toBeGreaterThan(5);
    expect(people.every((p: { personalPhone?: string }) => 'personalPhone' in p)).toBe(true);
    const after = await stack.count(
      `SELECT count(*) FROM audit_log WHERE record_type = 'duty-staff' AND fields = '{personalPhone}'`,
    );
    expect(after - before).toBe(people.length);
    expect(
      (
        await stack.request(
          'GET',
          '/api/v1/roster/on-duty?unit=194&at=yesterday',
          'province.commander',
        )
      ).status,
    ).toBe(400);
  });

  it('coverage gaps over the next 14 days: a shift lost to leave is exactly one gap', async () => {
    const before = await stack.request('GET', '/api/v1/roster/gaps?unit=207', 'co-to.duty');
    expect(before.status).toBe(200);
    expect(before.body.gaps).toEqual([]);
    expect((await stack.request('GET', '/api/v1/roster/gaps?unit=194', 'co-to.duty')).status).toBe(
      403,
    );
    expect(
      (await stack.request('GET', '/api/v1/roster/gaps?unit=207&days=61', 'co-to.duty')).status,
    ).toBe(400);

    // Tomorrow's 06:00-14:00 medical shift (UTC+7) of Cô Tô: its one person goes on leave.
    const tomorrow = new Date(Date.now() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const start = new Date(`${tomorrow}T06:00:00+07:00`);
    const end = new Date(`${tomorrow}T14:00:00+07:00`);
    const onDuty = await stack.request(
      'GET',
      `/api/v1/roster/on-duty?unit=207&at=${encodeURIComponent(`${tomorrow}T07:00:00+07:00`)}`,
      'co-to.duty',
    );
    const medical = onDuty.body.centers[0].positions.find(
      (p: { position: string }) => p.position === 'medical-duty',
    );
    expect(medical.people).toHaveLength(1);
    await stack.db.query(
      `INSERT INTO duty_leave (staff_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, 'ốm')`,
      [medical.people[0].staffId, start, end],
    );

    const after = await stack.request('GET', '/api/v1/roster/gaps?unit=207', 'co-to.duty');
    expect(after.body.gaps).toEqual([
      {
        centerId: onDuty.body.centers[0].centerId,
        unit: '207',
        position: 'medical-duty',
        from: start.toISOString(),
        to: end.toISOString(),
        requiredCount: 1,
        staffed: 0,
      },
    ]);
    // The province sees the same gap among its subtree's (the test center in Móng Cái is short too).
    const province = await stack.request('GET', '/api/v1/roster/gaps?unit=22', 'province.duty');
    expect(province.body.gaps.filter((g: { unit: string }) => g.unit === '207')).toHaveLength(1);
    expect(province.body.gaps.some((g: { unit: string }) => g.unit === '194')).toBe(true);
  });

  it('rate-limits one client with 429 and the standard error body, then lets it back in', async () => {
    const statuses: number[] = [];
    let limited: { status: number; headers: Headers; text: string } | undefined;
    for (let i = 0; i < 60; i++) {
      const res = await get('/api/v1/public/duty?q=co%20to');
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(20);
    expect(limited).toBeDefined();
    expect(JSON.parse(limited!.text)).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.any(String),
    });
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    // The page is its own route family with its own bucket.
    expect((await get('/duty')).status).toBe(200);
    await sleep(Number(limited!.headers.get('retry-after')) * 1000 + 200);
    expect((await get('/api/v1/public/duty?q=co%20to')).status).toBe(200);
  });
});

describe('the public duty list with Redis down', () => {
  const redis = new PrivateRedis();
  let stack: TestStack;
  beforeAll(async () => {
    await redis.start();
    stack = await new TestStack({ redisUrl: redis.url, processes: true }).start();
  }, 60_000);
  let redisDown = false;
  afterAll(async () => {
    // The processes shut down cleanly (and the test's keys are removed) with Redis back.
    if (redisDown) await redis.start();
    await stack?.stop();
    await redis.dispose();
  });

  it('still answers from PostgreSQL alone (nothing was cached before Redis went away)', async () => {
    await redis.stop();
    redisDown = true;
    // The api itself has seen Redis go (its readiness says so) before the list is asked for.
    await waitFor('the api to find Redis gone', async () => (await fetch(`${stack.apiUrl}/health/ready`)).status === 503, 15_000, 50);
    const json = await fetch(`${stack.apiUrl}/api/v1/public/duty?q=co%20to`);
    expect(json.status).toBe(200);
    const body = (await json.json()) as { centers: { unit: string; onDuty: unknown[] }[] };
    expect(body.centers.map((c) => c.unit)).toEqual(['Cô Tô']);
    expect(body.centers[0].onDuty).toHaveLength(5);
    const page = await fetch(`${stack.apiUrl}/duty?q=ha%20long`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Hạ Long');
  });
});
