import { TestStack } from './support/stack';

/** The citizen report form's API: strict validation, nothing stored unless valid, rate-limited per client. */
describe('public reports: POST /api/v1/public/reports', () => {
  // Behind a trusted proxy: X-Forwarded-For tells clients apart.
  const stack = new TestStack({ env: { TRUST_PROXY: 'true' } });
  const PLACE = { lat: 21.376, lon: 107.878 }; // Móng Cái
  const valid = { category: 'illegal-entry', description: 'Có 3 người lạ đi qua đường mòn gần mốc 1300', place: PLACE };

  const send = (body: string | unknown, client: string, contentType = 'application/json') =>
    fetch(`${stack.apiUrl}/api/v1/public/reports`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-forwarded-for': client },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const stored = async () => ({
    events: await stack.count('SELECT count(*) FROM event_log'),
    personal: await stack.count('SELECT count(*) FROM event_personal_data'),
  });

  beforeAll(() => stack.start(), 90_000);
  afterAll(() => stack.stop());

  it('accepts a valid report as report.received (public-form) in the unit of the place, the phone kept apart', async () => {
    const res = await send({ ...valid, phone: '0912 345 678' }, '10.0.0.1');
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const { rows } = await stack.db.query(`SELECT type, unit_code, actor, payload, ST_Y(location) AS lat FROM event_log WHERE id = $1`, [id]);
    expect(rows[0]).toMatchObject({ type: 'report.received', unit_code: '194', actor: 'public:form', lat: PLACE.lat });
    expect(rows[0].payload).toEqual({ channel: 'public-form', category: 'illegal-entry', description: valid.description });
    const personal = await stack.db.query(`SELECT fields FROM event_personal_data WHERE event_id = $1`, [id]);
    expect(personal.rows[0].fields).toEqual({ callerPhone: '0912 345 678' });
    // Without a phone nothing personal is stored.
    const anonymous = await send(valid, '10.0.0.2');
    expect(anonymous.status).toBe(202);
    const anonId = ((await anonymous.json()) as { id: string }).id;
    expect(await stack.count(`SELECT count(*) FROM event_personal_data WHERE event_id = $1`, [anonId])).toBe(0);
  });

  it('takes a unit picked from the public list instead of a point: its label point, marked as such', async () => {
    const units = await fetch(`${stack.apiUrl}/api/v1/public/units`);
    expect(units.status).toBe(200);
    expect(units.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const list = ((await units.json()) as { units: Record<string, unknown>[] }).units;
    expect(list.find((u) => u.code === '194')).toEqual({ code: '194', name: 'Móng Cái', parentCode: '22' });
    expect(new Set(list.flatMap((u) => Object.keys(u)))).toEqual(new Set(['code', 'name', 'parentCode']));

    const res = await send({ category: 'gathering', description: 'Tụ tập đông người ở chợ', unit: '194' }, '10.0.0.3');
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const { rows } = await stack.db.query(
      `SELECT e.unit_code, e.payload, ST_Equals(e.location::geometry, COALESCE(u.label_point, ST_PointOnSurface(u.geom))) AS at_label
       FROM event_log e JOIN admin_units u ON u.code = '194' WHERE e.id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({ unit_code: '194', at_label: true });
    expect(rows[0].payload).toMatchObject({ channel: 'public-form', placeFromUnit: true });

    const unknown = await send({ ...valid, place: undefined, unit: 'nowhere' }, '10.0.0.4');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { details: { path: string }[] }).details[0].path).toBe('body.unit');
  });

  it('refuses 1,000 malformed or oversized submissions with 4xx naming the problem, and stores none of them', async () => {
    const before = await stored();
    const long = 'x'.repeat(2001);
    const makers: ((i: number) => { body: unknown; type?: string; field?: string })[] = [
      () => ({ body: { ...valid, category: 'rumour' }, field: 'body.category' }),
      () => ({ body: { description: valid.description, place: PLACE }, field: 'body.category' }),
      () => ({ body: { ...valid, description: long }, field: 'body.description' }),
      () => ({ body: { ...valid, description: '   ' }, field: 'body.description' }),
      () => ({ body: { ...valid, phone: 'call me' }, field: 'body.phone' }),
      () => ({ body: { ...valid, phone: 912345678 }, field: 'body.phone' }),
      () => ({ body: { ...valid, place: { lat: 10.77, lon: 106.7 } }, field: 'body.place' }), // Ho Chi Minh City
      () => ({ body: { ...valid, place: { lat: 'north', lon: 107 } }, field: 'body.place.lat' }),
      () => ({ body: { ...valid, place: { lat: 95, lon: 107 } }, field: 'body.place.lat' }),
      () => ({ body: { ...valid, place: undefined }, field: 'body.place' }),
      () => ({ body: { ...valid, fullName: 'Nguyễn Văn A' }, field: 'body' }),
      () => ({ body: { ...valid, place: { ...PLACE, alt: 3 } }, field: 'body.place' }),
      () => ({ body: [valid], field: 'body' }),
      () => ({ body: 'null' }),
      () => ({ body: '{"category": "illegal-entry", ', type: 'application/json' }),
      () => ({ body: 'category=illegal-entry', type: 'application/x-www-form-urlencoded', field: 'body' }),
      () => ({ body: { ...valid, description: 'y'.repeat(1500), padding: 'z'.repeat(9000) } }),
      (i) => ({ body: JSON.stringify({ ...valid, description: 'w'.repeat(20_000 + i) }) }),
    ];
    const statuses: number[] = [];
    const problems: string[] = [];
    for (let start = 0; start < 1000; start += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, async (_, k) => {
          const i = start + k;
          const made = makers[i % makers.length](i);
          // Every submission from its own client: this tests validation, not the rate limit.
          const res = await send(made.body, `10.1.${Math.floor(i / 250)}.${i % 250}`, made.type);
          const body = (await res.json().catch(() => ({}))) as { details?: { path: string }[]; message?: string };
          if (made.field && res.status === 400 && !body.details?.some((d) => d.path === made.field)) {
            problems.push(`#${i}: expected ${made.field} in ${JSON.stringify(body)}`);
          }
          return res.status;
        }),
      );
      statuses.push(...batch);
    }
    expect(problems).toEqual([]);
    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((s) => s < 400 || s >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([400, 413]));
    expect(await stored()).toEqual(before);
  });

  it('answers a flood from one client with 429 while another client still gets through', async () => {
    const before = await stack.count(`SELECT count(*) FROM event_log WHERE payload->>'channel' = 'public-form'`);
    const flood = await Promise.all(Array.from({ length: 40 }, () => send(valid, '10.9.9.9')));
    const codes = flood.map((r) => r.status);
    expect(codes.filter((c) => c === 202).length).toBeGreaterThan(0);
    expect(codes.filter((c) => c === 202).length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(35);
    const limited = flood.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { statusCode: number }).statusCode).toBe(429);
    const other = await send(valid, '10.9.9.10');
    expect(other.status).toBe(202);
    const accepted = codes.filter((c) => c === 202).length + 1;
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE payload->>'channel' = 'public-form'`)).toBe(before + accepted);
  });
});
