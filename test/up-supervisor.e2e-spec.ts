import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import Redis from 'ioredis';
import type { LoginResponse } from '@frontline/contracts';
import { EventFactory } from './support/factories';
import { freePort } from './support/ports';
import { assertBuilt, REPO_ROOT } from './support/processes';
import { DEMO_PASSWORD } from './support/stack';
import { waitFor } from './support/wait';

const ADMIN_DB_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** How long a killed process may take to be back and serving. */
const BACK_WITHIN_MS = 10_000;

/**
 * `npm run up` keeps Frontline running when a process dies (issue 15): the worker, then the api,
 * killed with SIGKILL under the supervisor, are each restarted and serving within 10 s, the
 * other one serving meanwhile, and every event the api accepted is kept and processed.
 */
describe('npm run up: a killed worker or api is restarted, nothing accepted is lost', () => {
  const id = randomBytes(4).toString('hex');
  const dbName = `fl_test_up_${id}`;
  const prefix = `fltest:up${id}:`;
  const dbUrl = Object.assign(new URL(ADMIN_DB_URL), { pathname: `/${dbName}` }).toString();
  let up: ChildProcess;
  let output = '';
  let apiUrl = '';
  let workerUrl = '';
  let db: Client;

  beforeAll(async () => {
    assertBuilt();
    const [port, workerPort] = [await freePort(), await freePort()];
    apiUrl = `http://127.0.0.1:${port}`;
    workerUrl = `http://127.0.0.1:${workerPort}`;
    up = spawn(process.execPath, ['scripts/up.mjs'], {
      cwd: REPO_ROOT,
      detached: true, // its own process group, stopped as a whole after the test
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_URL: dbUrl,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        PORT: String(port),
        WORKER_HEALTH_PORT: String(workerPort),
        JWT_SECRET: randomBytes(24).toString('hex'),
        FRONTLINE_DEMO_PASSWORD: DEMO_PASSWORD,
        FRONTLINE_SKIP_DOTENV: '1',
        FRONTLINE_SKIP_INSTALL: '1',
        FRONTLINE_SKIP_BUILD: '1',
        FRONTLINE_NO_APT: '1',
        FRONTLINE_NO_DOCKER: '1',
        FRONTLINE_RAW_LOGS: '1',
        LOG_LEVEL: 'warn',
      },
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200_000);
    };
    up.stdout?.on('data', keep);
    up.stderr?.on('data', keep);
    await waitFor('npm run up to say Frontline is running', () => {
      if (up.exitCode !== null) throw new Error(`up exited with ${up.exitCode}:\n${output}`);
      return output.includes('Frontline is running');
    }, 180_000, 200);
    db = new Client({ connectionString: dbUrl });
    await db.connect();
  }, 200_000);

  afterAll(async () => {
    await db?.end();
    if (up?.pid && up.exitCode === null) {
      const exited = new Promise((resolve) => up.once('exit', resolve));
      process.kill(-up.pid, 'SIGTERM');
      await exited;
    }
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    const admin = new Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }, 60_000);

  /** The pid `up` last started `name` with (its log says so). */
  const pidOf = (name: string): number => {
    const started = [...output.matchAll(new RegExp(`${name} started \\(pid (\\d+)\\)`, 'g'))];
    return Number(started.at(-1)![1]);
  };
  const ready = async (url: string) => (await fetch(`${url}/health/ready`).catch(() => null))?.status === 200;

  it('restarts the killed worker, then the killed api, each serving again within 10 s', async () => {
    const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'province.duty', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as LoginResponse;
    const accepted: string[] = [];
    let sending = true;
    // Events sent the whole time; only those answered 202 count as accepted.
    const sender = (async () => {
      for (let i = 0; sending; i++) {
        const events = Array.from({ length: 10 }, (_, j) => EventFactory.reportReceived().inUnit(j % 2 ? '193' : '194').build());
        const res = await fetch(`${apiUrl}/api/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({ events }),
        }).catch(() => null);
        if (res?.status === 202) accepted.push(...events.map((e) => e.id));
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await waitFor('events accepted', () => accepted.length >= 100, 30_000, 20);

    const workerPid = pidOf('worker');
    process.kill(workerPid, 'SIGKILL');
    const workerKilledAt = Date.now();
    const atKill = accepted.length;
    await waitFor('the worker back and ready', async () => pidOf('worker') !== workerPid && (await ready(workerUrl)), BACK_WITHIN_MS, 100);
    expect(Date.now() - workerKilledAt).toBeLessThan(BACK_WITHIN_MS);
    expect(output).toMatch(/worker was killed by SIGKILL unexpectedly; restarting it/);
    // The api served throughout.
    expect(accepted.length).toBeGreaterThan(atKill);

    const apiPid = pidOf('api');
    process.kill(apiPid, 'SIGKILL');
    const apiKilledAt = Date.now();
    await waitFor('the api back and ready', async () => pidOf('api') !== apiPid && (await ready(apiUrl)), BACK_WITHIN_MS, 100);
    expect(Date.now() - apiKilledAt).toBeLessThan(BACK_WITHIN_MS);
    expect(output).toMatch(/api was killed by SIGKILL unexpectedly; restarting it/);
    const afterApi = accepted.length;
    await waitFor('events accepted by the restarted api', () => accepted.length >= afterApi + 50, 30_000, 20);
    sending = false;
    await sender;

    // Nothing accepted is lost: every accepted event is in PostgreSQL, and the worker projected each.
    const stored = await db.query(`SELECT count(*)::int AS n FROM event_log WHERE id = ANY($1::uuid[])`, [accepted]);
    expect(stored.rows[0].n).toBe(accepted.length);
    await waitFor('the projector to apply every accepted event', async () => {
      const done = await db.query(
        `SELECT count(*)::int AS n FROM consumer_receipts WHERE consumer = 'projector' AND event_id = ANY($1::uuid[])`,
        [accepted],
      );
      return done.rows[0].n === accepted.length;
    }, 60_000, 250);
    expect(up.exitCode).toBeNull();
  }, 180_000);
});
