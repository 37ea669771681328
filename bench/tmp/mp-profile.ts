import { TestStack } from '../../test/support/stack';
import { DISTRICT_CODES } from '../support/machine';

async function main() {
  const stack = new TestStack();
  await stack.start();
  const db = stack.db;
  const insert = async (type: string, count: number, payload: string) => {
    await db.query(
      `WITH seats AS (
         SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, path,
                ST_X(label_point) AS lon, ST_Y(label_point) AS lat
         FROM admin_units WHERE code = ANY($2::text[]) AND label_point IS NOT NULL),
       n AS (SELECT count(*) AS k FROM seats)
       INSERT INTO event_log (id, type, unit_code, unit_path, occurred_at, actor, location, drill, payload, published_at)
       SELECT gen_random_uuid(), $3, s.code, s.path,
              now() - (random() * interval '13 days') - interval '1 minute', 'bench',
              ST_SetSRID(ST_MakePoint(s.lon + (random() - 0.5) * 0.16, s.lat + (random() - 0.5) * 0.12), 4326),
              false, ${payload}, now()
       FROM generate_series(1, $1::int) g JOIN n ON true JOIN seats s ON s.i = g % n.k`,
      [count, [...DISTRICT_CODES], type],
    );
  };
  await insert('contact.identified', 50000, `jsonb_build_object('contactId', gen_random_uuid(), 'classification', 'F1', 'sourceCaseId', gen_random_uuid(), 'exposureDate', '2026-11-30', 'setting', 'household')`);
  await insert('case.confirmed', 5000, `jsonb_build_object('caseId', gen_random_uuid(), 'method', 'rt-pcr', 'source', 'community')`);
  await db.query('ANALYZE event_log');
  const token = await stack.token('province.duty');
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const res = await fetch(`${stack.apiUrl}/api/v1/map/points`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } });
    const body = await res.arrayBuffer();
    console.log(`GET /map/points ${res.status} ${body.byteLength} B ${Math.round(performance.now() - t0)} ms`);
  }
  if (process.env.KEEP) { console.log('db', stack.dbName, 'api', stack.apiUrl, 'token', token); await new Promise((r) => setTimeout(r, 3600_000)); }
  await stack.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
