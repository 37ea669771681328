import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import Redis from 'ioredis';
import argon2 from 'argon2';
import type { IngestResponse, LoginResponse, Role } from '@frontline/contracts';
import { createDataSource, runMigrationsLocked, seedDemoAccounts, seedDemoRoster, seedDemoTeams, seedUnits } from '@frontline/database';
import { bullPrefix, Queue, type QueueName } from '@frontline/queue';
import { type ConsumerGroupName, streamKeys } from '@frontline/spine';
import { EventFactory } from './factories';
import { freePort } from './ports';
import { TEST_RUN_ENV, templateDbName } from './run-id';
import { API_MAIN, assertBuilt, ManagedProcess, StackProcess, WORKER_MAIN } from './processes';
import { waitFor } from './wait';

export const DEMO_PASSWORD = 'test-demo-password';
const ADMIN_DB_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Loaded only when used: benchmarks (run by tsx, without decorator metadata) spawn processes. */
const inProcess = () => import('./in-process');

function dbUrl(name: string): string {
  const url = new URL(ADMIN_DB_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Migrates and seeds the demo province into an empty database. */
async function prepareDatabase(url: string): Promise<void> {
  const ds = await createDataSource(url, 2).initialize();
  try {
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    await seedDemoAccounts(ds, DEMO_PASSWORD, 'test');
    await seedDemoRoster(ds);
    await seedDemoTeams(ds);
  } finally {
    await ds.destroy();
  }
}

/**
 * Creates the run's template database once (the first stack of the run; the others wait on the
 * advisory lock), migrated and seeded. Nothing stays connected to it, so it can be copied.
 */
async function ensureTemplate(admin: Client, template: string): Promise<void> {
  await admin.query(`SELECT pg_advisory_lock(hashtext($1))`, [template]);
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template]);
    if (rowCount) return;
    const building = `${template}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building}`);
    await admin.query(`CREATE DATABASE ${building}`);
    await prepareDatabase(dbUrl(building));
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext($1))`, [template]);
  }
}

export interface StackOptions {
  /** A private Redis for tests that flush or restart it. */
  redisUrl?: string;
  apiInstances?: number;
  env?: Record<string, string>;
  /**
   * Spawn the built api and worker as processes, for tests about processes (kill -9, a crash
   * mid-job). Otherwise they run as Nest applications inside the test's own process.
   */
  processes?: boolean;
}

/**
 * A whole Frontline for one test file: its own database (a copy of the run's migrated and seeded
 * template), its own Redis key prefix, and the api and worker of this checkout, in process or
 * spawned (`processes: true`).
 */
export class TestStack {
  readonly id = randomBytes(4).toString('hex');
  readonly dbName = `fl_test_${this.id}`;
  readonly prefix = `fltest:${this.id}:`;
  readonly databaseUrl = dbUrl(this.dbName);
  readonly redisUrl: string;
  apis: StackProcess[] = [];
  apiUrls: string[] = [];
  worker!: StackProcess;
  /** The first worker's HTTP (health and metrics), e.g. `http://127.0.0.1:40123`. */
  workerUrl!: string;
  /** Workers started by `addWorker()` (next to the first one). */
  extraWorkers: StackProcess[] = [];
  db!: Client;
  redis!: Redis;
  private tokens = new Map<string, string>();

  constructor(private readonly options: StackOptions = {}) {
    this.redisUrl = options.redisUrl ?? SHARED_REDIS_URL;
  }

  get apiUrl(): string {
    return this.apiUrls[0];
  }

  async start(): Promise<this> {
    if (this.options.processes) assertBuilt();
    // Under jest a copy of the run's template (seconds saved per test file); alone (benchmarks),
    // migrated and seeded here.
    const run = process.env[TEST_RUN_ENV];
    const admin = new Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    try {
      if (run) {
        const template = templateDbName(run);
        await ensureTemplate(admin, template);
        await admin.query(`CREATE DATABASE ${this.dbName} TEMPLATE ${template}`);
      } else {
        await admin.query(`CREATE DATABASE ${this.dbName}`);
      }
    } finally {
      await admin.end();
    }
    if (!run) await prepareDatabase(this.databaseUrl);

    this.db = new Client({ connectionString: this.databaseUrl });
    await this.db.connect();
    this.redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined);

    this.worker = await this.makeWorker();
    for (let i = 0; i < (this.options.apiInstances ?? 1); i++) {
      const port = await freePort();
      const env = this.env({ PORT: String(port) });
      const health = `http://127.0.0.1:${port}/health/ready`;
      const api = this.options.processes
        ? new ManagedProcess(`api#${i}`, API_MAIN, env, health)
        : new (await inProcess()).InProcessApi(`api#${i}`, env, health);
      this.apis.push(api);
      this.apiUrls.push(`http://127.0.0.1:${port}`);
    }
    // Neither waits for the other (the stream and its groups are created by whoever comes
    // first), so they boot together: their waits on PostgreSQL and Redis overlap.
    await Promise.all([this.worker.start(), ...this.apis.map((api) => api.start())]);
    return this;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      FRONTLINE_SKIP_DOTENV: '1',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      JWT_SECRET: `test-secret-${this.id}-0123456789abcdef0123`,
      LOG_LEVEL: 'warn',
      WORKER_CLAIM_IDLE_MS: '2000',
      RELAY_GRACE_MS: '300',
      CONSOLE_DIST: 'apps/console/dist',
      // The worker's timed roster check (missed check-ins on the seeded rosters would add events
      // other tests do not expect) is off unless a test turns it on.
      ROSTER_CHECK_INTERVAL_MS: '0',
      ...this.options.env,
      ...extra,
    };
  }

  /** A second (third, ...) worker process under its own consumer name, started and ready. */
  async addWorker(): Promise<StackProcess> {
    const worker = await this.makeWorker(`worker-${this.id}-${this.extraWorkers.length + 2}`);
    this.extraWorkers.push(worker);
    await worker.start();
    return worker;
  }

  private async makeWorker(workerId = `worker-${this.id}`): Promise<StackProcess> {
    const port = await freePort();
    const name = workerId === `worker-${this.id}` ? 'worker' : workerId;
    const env = this.env({ WORKER_HEALTH_PORT: String(port), WORKER_ID: workerId });
    const health = `http://127.0.0.1:${port}/health/ready`;
    if (name === 'worker') this.workerUrl = `http://127.0.0.1:${port}`;
    return this.options.processes
      ? new ManagedProcess(name, WORKER_MAIN, env, health)
      : new (await inProcess()).InProcessWorker(name, env, health);
  }

  /** Restarts the worker after a crash, under the same consumer name. */
  async restartWorker(): Promise<void> {
    await this.worker.stop();
    await this.worker.start();
  }

  async token(username: string, apiUrl = this.apiUrl): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const res = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as LoginResponse;
    this.tokens.set(username, body.accessToken);
    return body.accessToken;
  }

  /** Any request; the body is whatever JSON came back (tests assert on its shape). */
  async request(
    method: string,
    path: string,
    username: string | null,
    body?: unknown,
    apiUrl = this.apiUrl,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (username) headers.authorization = `Bearer ${await this.token(username)}`;
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  }

  /** Posts events and expects 202. */
  async postEvents(username: string, events: unknown[]): Promise<IngestResponse> {
    const res = await this.request('POST', '/api/v1/events', username, { events });
    if (res.status !== 202) throw new Error(`POST /events: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as IngestResponse;
  }

  /**
   * Posts a sentinel (a negative test result, nothing personal) in `unit` and returns its id:
   * tests wait for it to prove that what should not arrive before it did not.
   */
  async postSentinel(unit: string, username = 'province.duty'): Promise<string> {
    const sentinel = EventFactory.testResulted('negative').inUnit(unit).build();
    await this.postEvents(username, [sentinel]);
    return sentinel.id;
  }

  /**
   * Resolves once consumer group `group` is done with everything there is now: a receipt for
   * every event in the log, and every entry of the stream (also entries a test put back by hand)
   * read and acknowledged. A group commits its effects with its receipts and acknowledges after
   * the commit, so whatever it was going to do about those events is in PostgreSQL (and its
   * BullMQ jobs added or dropped): the sentinel for "nothing more comes of them".
   */
  async consumed(group: ConsumerGroupName, timeoutMs = 30_000): Promise<void> {
    const upToSeq = await this.count(`SELECT coalesce(max(seq), 0) FROM event_log`);
    const stream = streamKeys(this.prefix).events;
    const [last] = (await this.redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as [string, string[]][];
    await waitFor(`consumer group ${group} to be done with events up to seq ${upToSeq}`, async () => {
      const missing = await this.count(
        `SELECT count(*) FROM event_log e WHERE e.seq <= $1
         AND NOT EXISTS (SELECT 1 FROM consumer_receipts r WHERE r.consumer = $2 AND r.event_id = e.id)`,
        [upToSeq, group],
      );
      if (missing > 0) return false;
      if (!last) return true;
      const groups = (await this.redis.xinfo('GROUPS', stream)) as unknown[][];
      const info = groups.map((fields) => fieldMap(fields)).find((g) => g.name === group);
      if (!info || compareStreamIds(String(info['last-delivered-id']), last[0]) < 0) return false;
      const pending = (await this.redis.xpending(stream, group, '-', last[0], 1)) as unknown[];
      return pending.length === 0;
    }, timeoutMs, 50);
  }

  /**
   * Resolves once `runs` runs of the repeating check on `queue` started after this call and
   * finished (a run that reports `{ ran: false }`, skipped for an overlapping one, does not
   * count): the sentinel for "later runs of the check add nothing".
   */
  async checkRuns(queue: QueueName, runs = 2, timeoutMs = 30_000): Promise<void> {
    const since = Date.now();
    await this.withQueue(queue, (q) =>
      waitFor(`${runs} runs of ${queue} after ${new Date(since).toISOString()}`, async () => {
        const done = await q.getJobs(['completed'], 0, 50);
        const after = done.filter((job) => (job.processedOn ?? 0) >= since && (job.returnvalue as { ran?: boolean } | null)?.ran !== false);
        return after.length >= runs;
      }, timeoutMs, 100),
    );
  }

  /**
   * Resolves once none of these jobs (already added) is waiting, delayed or running: each has
   * run to its end, failed for good, or been removed. Nothing more can come of them.
   */
  async jobsSettled(queue: QueueName, jobIds: string[], timeoutMs = 30_000): Promise<void> {
    await this.withQueue(queue, (q) =>
      waitFor(`jobs ${jobIds.join(', ')} of ${queue} to settle`, async () => {
        const states = await Promise.all(jobIds.map((id) => q.getJobState(id)));
        return states.every((state) => state === 'completed' || state === 'failed' || state === 'unknown');
      }, timeoutMs, 100),
    );
  }

  /** A BullMQ queue of this stack (its key prefix), closed after `use`. */
  async withQueue<T>(name: QueueName, use: (queue: Queue) => Promise<T>): Promise<T> {
    const queue = new Queue(name, { connection: { url: this.redisUrl }, prefix: bullPrefix(this.prefix) });
    try {
      return await use(queue);
    } finally {
      await queue.close();
    }
  }

  /** An extra account (e.g. a lab user the demo seed does not have), with the demo password. */
  async createAccount(username: string, role: Role, unitCode: string): Promise<void> {
    await this.db.query(
      `INSERT INTO users (username, display_name, password_hash, role, unit_code) VALUES ($1, $2, $3, $4, $5)`,
      [username, `Test ${role} ${unitCode}`, await argon2.hash(DEMO_PASSWORD), role, unitCode],
    );
  }

  /** Events submitted through the API (the rules add events of their own, e.g. tracing tasks). */
  submittedEvents(): Promise<number> {
    return this.count(`SELECT count(*) FROM event_log WHERE actor LIKE 'user:%'`);
  }

  /** Submitted events the projector has applied (its receipts). */
  projectedSubmittedEvents(): Promise<number> {
    return this.count(
      `SELECT count(*) FROM consumer_receipts r JOIN event_log e ON e.id = r.event_id
       WHERE r.consumer = 'projector' AND e.actor LIKE 'user:%'`,
    );
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await this.db.query(sql, params);
    return Number(Object.values(rows[0])[0]);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis.map((a) => a.stop()), this.worker?.stop(), ...this.extraWorkers.map((w) => w.stop())]);
    await this.db?.end().catch(() => undefined);
    if (this.redis) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000).catch(() => ['0', []] as [string, string[]]);
        cursor = next;
        if (keys.length) await this.redis.del(...keys).catch(() => undefined);
      } while (cursor !== '0');
      this.redis.disconnect();
    }
    const admin = new Client({ connectionString: ADMIN_DB_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** A Redis reply of alternating names and values (XINFO) as an object. */
function fieldMap(fields: unknown[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[String(fields[i])] = fields[i + 1];
  return map;
}

/** Orders two stream entry ids (`<ms>-<seq>`). */
function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}
