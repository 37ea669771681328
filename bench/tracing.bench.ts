/**
 * tracing: time of the chain query (GET /api/v1/cases/:id/chain, the service's recursive CTE)
 * on a graph of 5,000 F0 and 50,000 F1 (10 contacts per F0), bulk-inserted in a scratch
 * database (migrated, units seeded). Target: p95 < 100 ms.
 *
 *   npm run bench:tracing -- [--f0 5000] [--f1 50000] [--queries 1000] [--depth 3]
 *
 * Each query is timed from the client (pg pool, the same SQL as the api) for a random F0
 * (direction both: its 10 contacts) and a random F1 (direction both: its source, its siblings
 * are not walked). The api adds JSON encoding and the jurisdiction filter on top (microseconds).
 */
import { performance } from 'node:perf_hooks';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { ScratchDatabase } from '@frontline/database/testing';
import { TracingRepository } from '../apps/api/src/tracing/tracing.repository';
import { assertKnown, numberArg, parseArgs } from './support/args';
import { summarize } from './support/stats';

const args = parseArgs();
assertKnown(args, ['f0', 'f1', 'queries', 'depth']);
const F0 = numberArg(args, 'f0', 5000, 1);
const F1 = numberArg(args, 'f1', 50_000, 1);
const QUERIES = numberArg(args, 'queries', 1000, 10);
const DEPTH = numberArg(args, 'depth', 3, 1);

async function main(): Promise<void> {
  const scratch = new ScratchDatabase('fl_bench_tracing');
  await scratch.create();
  const ds = createDataSource(scratch.url, 4);
  await ds.initialize();
  try {
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    const t0 = performance.now();
    await ds.query(`
      CREATE TEMP TABLE districts AS
      SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, path FROM admin_units WHERE level = 'district'`);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM districts`)) as { n: number }[];
    await ds.query(
      `INSERT INTO people (id, full_name, unit_code, unit_path, created_by)
       SELECT md5('p' || g)::uuid, 'Bench ' || g, d.code, d.path, 'bench'
       FROM generate_series(1, $1::int) g JOIN districts d ON d.k = g % $2`,
      [F0 + F1, n],
    );
    await ds.query(
      `INSERT INTO cases (id, person_id, classification, status, unit_code, unit_path, monitoring_start, monitoring_days, created_by)
       SELECT md5('c' || g)::uuid, md5('p' || g)::uuid, 'F0', 'admitted', d.code, d.path, current_date, 21, 'bench'
       FROM generate_series(1, $1::int) g JOIN districts d ON d.k = g % $2`,
      [F0, n],
    );
    await ds.query(
      `INSERT INTO cases (id, person_id, classification, status, unit_code, unit_path, monitoring_start, monitoring_days,
                          source_case_id, exposure_date, exposure_setting, created_by)
       SELECT md5('c' || g)::uuid, md5('p' || g)::uuid, 'F1', 'quarantined', d.code, d.path, current_date, 14,
              md5('c' || (1 + (g - $1 - 1) % $1))::uuid, current_date - 1, 'household', 'bench'
       FROM generate_series($1::int + 1, $1::int + $2::int) g
       JOIN districts d ON d.k = (1 + (g - $1 - 1) % $1) % $3`,
      [F0, F1, n],
    );
    await ds.query(`ANALYZE people; ANALYZE cases`);
    const loadMs = performance.now() - t0;

    const f0Ids = ((await ds.query(`SELECT id FROM cases WHERE classification = 'F0'`)) as { id: string }[]).map((r) => r.id);
    const f1Ids = ((await ds.query(`SELECT id FROM cases WHERE classification = 'F1'`)) as { id: string }[]).map((r) => r.id);
    const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)];
    // Warm-up: plans and buffers.
    const tracing = new TracingRepository(ds);
    for (let i = 0; i < 50; i++) await tracing.chain(pick(f0Ids), DEPTH, 'both');

    const time = async (ids: string[], direction: 'up' | 'down' | 'both') => {
      const ms: number[] = [];
      let nodes = 0;
      for (let i = 0; i < QUERIES; i++) {
        const start = performance.now();
        const rows = await tracing.chain(pick(ids), DEPTH, direction);
        ms.push(performance.now() - start);
        nodes += rows.length;
      }
      const s = summarize(ms);
      const p95 = [...ms].sort((a, b) => a - b)[Math.ceil(0.95 * ms.length) - 1];
      return { n: s.n, p50: round(s.p50), p95: round(p95), p99: round(s.p99), max: round(s.max), meanNodes: round(nodes / QUERIES) };
    };
    const fromF0 = await time(f0Ids, 'both');
    const fromF1 = await time(f1Ids, 'both');
    const plan = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${CHAIN_EXPLAIN}`, [pick(f0Ids), DEPTH])) as {
      'QUERY PLAN': string;
    }[];
    const uses = plan.map((r) => r['QUERY PLAN']).join('\n');
    const result = {
      date: new Date().toISOString(),
      graph: { f0: F0, f1: F1, loadSeconds: round(loadMs / 1000) },
      depth: DEPTH,
      fromF0,
      fromF1,
      usesSourceIndex: uses.includes('cases_source_idx'),
      target: 'p95 < 100 ms',
      met: fromF0.p95 < 100 && fromF1.p95 < 100,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await ds.destroy();
    await scratch.drop();
  }
}

/** The downward walk alone, for EXPLAIN: it must use cases_source_idx. */
const CHAIN_EXPLAIN = `WITH RECURSIVE down_walk(id, depth) AS (
  SELECT id, 0 FROM cases WHERE id = $1::uuid
  UNION ALL
  SELECT c.id, d.depth + 1 FROM cases c JOIN down_walk d ON c.source_case_id = d.id WHERE d.depth < $2::int
) SELECT count(*) FROM down_walk`;

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
