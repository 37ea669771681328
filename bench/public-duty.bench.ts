/**
 * public-duty: the published duty list under a crowd. 200 command centers and about 2,000 people
 * on the roster; a load generator in a second process sends GET /api/v1/public/duty (and, with
 * --path, any other URL) open-loop at --rate requests/s on loopback for --duration seconds.
 * Reports requests/s, latency percentiles, status codes and the size of the page and JSON over
 * the wire (gzip) and uncompressed.
 *
 *   npm run bench:public-duty -- [--rate 1000] [--duration 30] [--warmup 5] [--centers 200]
 *                                [--people 2000] [--path /api/v1/public/duty] [--sockets 64]
 *
 * The api runs with TRUST_PROXY=true and every request carries its own X-Forwarded-For from a
 * pool of 50,000 addresses, as a crowd of phones behind the reverse proxy would: the per-client
 * rate limit (30 at once, then 1/s) lets each through, so what is measured is the list, not 429s.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { TestStack } from '../test/support/stack';
import { assertKnown, numberArg, parseArgs } from './support/args';
import { buildInfo, buildLine, machineInfo, machineLine, saveResult } from './support/machine';
import { processTicks } from './support/proc';
import { round, summarize } from './support/stats';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s. */
const TICKS_PER_SECOND = 100;

interface ChildRequest {
  url: string;
  rate: number;
  duration: number;
  warmup: number;
  sockets: number;
}
interface ChildResult {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
  sent: number;
  elapsedS: number;
  late: number;
  warmupSent: number;
}

/** The load generator (child process): open-loop, one X-Forwarded-For per request. */
async function runChild(req: ChildRequest): Promise<ChildResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: req.sockets });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let late = 0;
  let seq = 0;
  const one = (record: boolean) =>
    new Promise<void>((resolve) => {
      const n = seq++;
      const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      const t0 = process.hrtime.bigint();
      const r = http.get(
        req.url,
        { agent, headers: { 'x-forwarded-for': ip, 'accept-encoding': 'gzip' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (record) {
              latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
              statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            }
            resolve();
          });
        },
      );
      r.on('error', () => {
        if (record) errors++;
        resolve();
      });
    });
  // Ticks of 10 ms; each sends what is due since the start (open loop: a slow answer does not slow the load).
  const phase = async (seconds: number, record: boolean) => {
    const start = performance.now();
    let due = 0;
    const pending: Promise<void>[] = [];
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        const elapsed = performance.now() - start;
        if (elapsed >= seconds * 1000) {
          clearInterval(timer);
          done();
          return;
        }
        const target = Math.floor((elapsed / 1000) * req.rate);
        if (target - due > req.rate / 20) late++;
        for (; due < target; due++) {
          pending.push(one(record));
          if (record) sent++;
        }
      }, 10);
    });
    await Promise.all(pending);
    return (performance.now() - start) / 1000;
  };
  await phase(req.warmup, false);
  const warmupSent = seq;
  const elapsedS = await phase(req.duration, true);
  agent.destroy();
  return { latencies, statuses, errors, sent, elapsedS, late, warmupSent };
}

if (process.argv.includes('--child')) {
  process.on('message', (msg: ChildRequest) => {
    void runChild(msg).then((result) => {
      process.send!(result, () => process.exit(0));
    });
  });
} else {
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

async function main(): Promise<void> {
  const args = parseArgs();
  assertKnown(args, ['rate', 'duration', 'warmup', 'centers', 'people', 'path', 'sockets']);
  const RATE = numberArg(args, 'rate', 1000, 1);
  const DURATION = numberArg(args, 'duration', 30, 1);
  const WARMUP = numberArg(args, 'warmup', 5, 0);
  const CENTERS = numberArg(args, 'centers', 200, 1);
  const PEOPLE = numberArg(args, 'people', 2000, 1);
  const SOCKETS = numberArg(args, 'sockets', 64, 1);
  const PATH = args.get('path') ?? '/api/v1/public/duty';

  const stack = new TestStack({ processes: true, env: { TRUST_PROXY: 'true' } });
  try {
    await stack.start();
    const machine = await machineInfo(stack.db, stack.redis);
    const db = stack.db;
    const count = async (sql: string) => Number(Object.values((await db.query(sql)).rows[0])[0]);
    const seededCenters = await count(`SELECT count(*) FROM command_centers`);
    const seededPeople = await count(`SELECT count(*) FROM duty_staff`);
    const newCenters = Math.max(0, CENTERS - seededCenters);
    const perCenter = newCenters ? Math.ceil(Math.max(0, PEOPLE - seededPeople) / newCenters) : 0;
    // The demo tree stops at districts: communes (no geometry) are added under them for the bench.
    const districts = (
      await db.query(`SELECT code, path FROM admin_units WHERE level = 'district' ORDER BY code`)
    ).rows as { code: string; path: string[] }[];
    for (let i = 0; i < newCenters; i++) {
      const parent = districts[i % districts.length];
      const code = `${parent.code}${String(90000 + i)}`;
      await db.query(
        `INSERT INTO admin_units (code, name, level, parent_code, path) VALUES ($1, $2, 'commune', $3, $4)
         ON CONFLICT (code) DO NOTHING`,
        [code, `Xã Thử Tải ${i + 1}`, parent.code, [...parent.path, code]],
      );
    }
    const communes = (
      await db.query(
        `SELECT code FROM admin_units WHERE level = 'commune' ORDER BY code LIMIT $1`,
        [newCenters],
      )
    ).rows as { code: string }[];
    if (communes.length < newCenters)
      throw new Error(`only ${communes.length} communes to put centers in`);
    const positions = [
      ['commander', 'Chỉ huy trực', 'Commander on duty', 1, 24],
      ['duty-officer', 'Cán bộ trực ban', 'Duty officer', 2, 12],
      ['medical-duty', 'Trực y tế', 'Medical duty', 1, 8],
      ['police-duty', 'Trực công an', 'Police duty', 1, 12],
    ] as const;
    await db.query('BEGIN');
    for (const [i, { code }] of communes.entries()) {
      const { rows } = await db.query(
        `INSERT INTO command_centers (unit_code, name, hotline, address, public)
         VALUES ($1, $2, $3, $4, true) RETURNING id`,
        [
          code,
          `Ban Chỉ đạo xã ${code}`,
          `0203 38${String(i).padStart(2, '0')} 000`,
          `Trụ sở UBND xã ${code}`,
        ],
      );
      const center = (rows[0] as { id: string }).id;
      const staff: string[] = [];
      for (let k = 0; k < perCenter; k++) {
        const r = await db.query(
          `INSERT INTO duty_staff (center_id, full_name, public_phone, personal_phone) VALUES ($1, $2, $3, $4) RETURNING id`,
          [
            center,
            `Cán bộ ${code}-${k}`,
            `0203 39${String(k).padStart(2, '0')} ${String(i).padStart(3, '0')}`,
            `09${String(i * 100 + k).padStart(8, '0')}`,
          ],
        );
        staff.push((r.rows[0] as { id: string }).id);
      }
      for (const [j, [pos, vi, en, required, hours]] of positions.entries()) {
        await db.query(
          `INSERT INTO duty_positions (center_id, code, name_vi, name_en, required_count, sort_order) VALUES ($1, $2, $3, $4, $5, $6)`,
          [center, pos, vi, en, required, j],
        );
        const mine = staff.filter((_, k) => k % positions.length === j);
        await db.query(
          `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from)
           VALUES ($1, $2, $3, '2021-08-30 07:00', $4::uuid[], $5, '2021-08-30')`,
          [
            center,
            pos,
            hours,
            mine.length ? mine : staff.slice(0, 1),
            Math.min(required, Math.max(1, mine.length)),
          ],
        );
      }
    }
    await db.query('COMMIT');
    const centers = await count(`SELECT count(*) FROM command_centers WHERE public`);
    const people = await count(`SELECT count(*) FROM duty_staff`);

    // Sizes: what a phone downloads the first time (gzip), and uncompressed.
    const size = async (path: string) => {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        headers: { 'accept-encoding': 'gzip', 'x-forwarded-for': '192.0.2.1' },
      });
      const raw = Buffer.from(await res.arrayBuffer());
      const wire = Number(res.headers.get('content-length')) || gzipSync(raw).length;
      return {
        status: res.status,
        wireKiB: round(wire / 1024, 1),
        rawKiB: round(raw.length / 1024, 1),
      };
    };
    const sizes = {
      page: await size('/duty'),
      pageOneDistrict: await size('/duty?q=mong%20cai'),
      json: await size('/api/v1/public/duty'),
    };

    const apiPid = stack.apis[0].pid!;
    const ticksBefore = processTicks(apiPid) ?? 0;
    const loadBefore = (await import('node:os')).loadavg()[0];
    const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const result = await new Promise<ChildResult>((resolve, reject) => {
      child.once('message', (m: ChildResult) => resolve(m));
      child.once('error', reject);
      child.send({
        url: `${stack.apiUrl}${PATH}`,
        rate: RATE,
        duration: DURATION,
        warmup: WARMUP,
        sockets: SOCKETS,
      } satisfies ChildRequest);
    });
    const apiCpuS = ((processTicks(apiPid) ?? 0) - ticksBefore) / TICKS_PER_SECOND;
    const loadAfter = (await import('node:os')).loadavg()[0];
    // Every request of the run, warm-up included, was served by the api in that CPU time.
    const served = result.latencies.length + result.warmupSent;
    const apiCpuMsPerRequest = round((apiCpuS * 1000) / served, 3);
    const lat = summarize(result.latencies);
    const out = {
      date: new Date().toISOString(),
      machine,
      build: buildInfo(),
      setup: {
        centers,
        people,
        path: PATH,
        rate: RATE,
        durationS: DURATION,
        warmupS: WARMUP,
        sockets: SOCKETS,
      },
      sizes,
      requests: {
        sent: result.sent,
        answered: result.latencies.length,
        perSecond: round(result.latencies.length / result.elapsedS, 0),
        statuses: result.statuses,
        errors: result.errors,
        lateTicks: result.late,
      },
      api: {
        cpuSeconds: round(apiCpuS, 2),
        cpuMsPerRequest: apiCpuMsPerRequest,
        requestsPerCoreSecond: round(1000 / apiCpuMsPerRequest, 0),
      },
      loadAverage1m: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
      latencyMs: Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, round(v, 2)])),
    };
    const file = saveResult('public-duty', out);
    console.log(`\npublic-duty — ${out.date}`);
    console.log(machineLine(machine));
    console.log(buildLine(out.build));
    console.log(`${centers} public command centers, ${people} people on the roster; ${PATH}`);
    console.log(
      `offered ${RATE}/s for ${DURATION} s (after ${WARMUP} s warm-up), ${SOCKETS} keep-alive sockets`,
    );
    console.log(
      `answered ${out.requests.answered} of ${out.requests.sent} (${out.requests.perSecond}/s), statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}`,
    );
    console.log(
      `latency ms: p50 ${out.latencyMs.p50}, p90 ${out.latencyMs.p90}, p99 ${out.latencyMs.p99}, max ${out.latencyMs.max} (target p99 < 50)`,
    );
    console.log(
      `sizes (gzip over the wire / uncompressed): page ${sizes.page.wireKiB} / ${sizes.page.rawKiB} KiB, one district ${sizes.pageOneDistrict.wireKiB} / ${sizes.pageOneDistrict.rawKiB} KiB, JSON ${sizes.json.wireKiB} / ${sizes.json.rawKiB} KiB (target page < 100 KB)`,
    );
    console.log(
      `api CPU: ${out.api.cpuSeconds} s for ${served} requests = ${apiCpuMsPerRequest} ms per request (${out.api.requestsPerCoreSecond} requests per second of one core); load average ${out.loadAverage1m.before} → ${out.loadAverage1m.after} on ${machine.nproc} vCPU`,
    );
    console.log(`raw result: ${file}`);
  } finally {
    await stack.stop();
  }
}
