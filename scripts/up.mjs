#!/usr/bin/env node
/**
 * `npm run up`: from a fresh clone to a running Frontline in one command.
 *   .env (from .env.example, fresh JWT_SECRET; never overwritten) -> npm dependencies ->
 *   PostgreSQL + PostGIS and the database -> Redis -> build (only what is stale) ->
 *   migrate -> seed -> api + worker in the foreground, with prefixed logs, until Ctrl-C.
 * A crashed api or worker is restarted with backoff while the other keeps serving; more than
 * FRONTLINE_RESTART_MAX (5) crashes of one within FRONTLINE_RESTART_WINDOW_S (60) stops everything.
 *
 * Flags (environment): FRONTLINE_SKIP_INSTALL=1, FRONTLINE_SKIP_BUILD=1,
 * FRONTLINE_FORCE_BUILD=1, FRONTLINE_NO_APT=1, FRONTLINE_NO_DOCKER=1,
 * FRONTLINE_READY_TIMEOUT_S (default 120), FRONTLINE_RAW_LOGS=1 (children's JSON logs as is),
 * FRONTLINE_SKIP_DOTENV=1 (neither create nor read .env: everything from the environment).
 * Plain Node (no npm packages): it runs before `npm ci`.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  DEFAULT_DATABASE_URL,
  ProvisionError,
  ROOT,
  Steps,
  appEntry,
  buildStale,
  buildTargets,
  elapsed,
  ensureEnvFile,
  ensureNodeModules,
  ensurePostgres,
  ensureRedis,
  loadDotEnv,
  run,
  runMain,
  sleep,
  style,
  tcpOpen,
} from './lib/provision.mjs';
import { restartPolicyFromEnv } from './lib/supervisor.mjs';

const steps = new Steps('up');
const children = new Map(); // name -> ChildProcess
const restarts = new Map(); // name -> RestartPolicy
let stopping = false;
let firstSignalAt = 0;

runMain(async () => {
  steps.log(style.bold('Frontline: preparing everything, then starting api and worker'));

  await steps.step('.env', () => {
    const { created } = process.env.FRONTLINE_SKIP_DOTENV === '1' ? { created: false } : ensureEnvFile(ROOT);
    loadDotEnv(ROOT);
    if (!process.env.JWT_SECRET || process.env.JWT_SECRET.length < 32) {
      throw new ProvisionError(
        `JWT_SECRET ${process.env.JWT_SECRET ? 'is shorter than 32 characters' : 'is not set'} ` +
          '(environment or .env; an existing .env is never rewritten)',
        {
          hint: 'Put a line like this in .env (generate with: openssl rand -hex 24):\n  JWT_SECRET=<48 hex characters>',
        },
      );
    }
    return created ? 'created from .env.example with a new JWT_SECRET' : 'using the existing .env';
  });

  const port = Number(process.env.PORT || 3000);
  const workerPort = Number(process.env.WORKER_HEALTH_PORT || 3001);
  for (const [what, p] of [
    ['PORT', port],
    ['WORKER_HEALTH_PORT', workerPort],
  ]) {
    if (await tcpOpen('127.0.0.1', p, 500)) {
      throw new ProvisionError(
        `Port ${p} (${what}) is already in use: is Frontline already running?`,
        {
          hint: `Stop whatever listens there (e.g. \`ss -ltnp 'sport = :${p}'\`), or set ${what} to a free port.`,
        },
      );
    }
  }

  await steps.step('npm dependencies', () => ensureNodeModules(ROOT, steps));
  await steps.step('PostgreSQL + PostGIS', () =>
    ensurePostgres(ROOT, steps, { createDatabase: true }),
  );
  await steps.step('Redis', () => ensureRedis(ROOT, steps));
  await steps.step('build (api, worker, console)', () =>
    buildStale(ROOT, steps, buildTargets(ROOT, { withConsole: true }), { required: true }),
  );
  await steps.step('migrate', async () => {
    const out = await run('npm', ['run', '--silent', 'migrate'], {
      steps,
      label: 'npm run migrate',
      prefix: '  migrate │ ',
    });
    return out.split('\n').filter(Boolean).pop();
  });
  await steps.step('seed', async () => {
    await run('npm', ['run', '--silent', 'seed'], {
      steps,
      label: 'npm run seed',
      prefix: '  seed │ ',
    });
    return 'demo province and accounts';
  });

  const apiEntry = appEntry(ROOT, 'api');
  const workerEntry = appEntry(ROOT, 'worker');
  if (!apiEntry || !workerEntry)
    throw new ProvisionError('The build produced no api or worker entry under dist/');

  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGHUP', () => onSignal('SIGHUP'));
  process.on('exit', () => {
    for (const child of children.values())
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });

  await steps.step('start api + worker', async () => {
    const timeoutS = Number(process.env.FRONTLINE_READY_TIMEOUT_S || 120);
    const api = { entry: apiEntry.rel, paint: style.cyan, readyUrl: `http://127.0.0.1:${port}/health/ready`, timeoutS };
    const worker = { entry: workerEntry.rel, paint: style.magenta, readyUrl: `http://127.0.0.1:${workerPort}/health/ready`, timeoutS };
    start('api', api);
    start('worker', worker);
    await Promise.all([waitReady('api', api.readyUrl, timeoutS), waitReady('worker', worker.readyUrl, timeoutS)]);
    return `api on :${port}, worker health on :${workerPort}`;
  });

  await printWelcome(port);
});

/**
 * Starts a built app with its output prefixed. If it exits on its own it is restarted with
 * backoff (the other app keeps serving); a crash loop stops everything (RestartPolicy).
 */
function start(name, app) {
  const { entry, paint } = app;
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: Ctrl-C reaches only us, and we stop the children once
  });
  children.set(name, child);
  const tag = paint(`${name.padEnd(6)} │`);
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) console.log(`${tag} ${formatLog(line)}`);
    });
  }
  steps.note(`${name} started (pid ${child.pid})`);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (!restarts.has(name)) restarts.set(name, restartPolicyFromEnv());
    const policy = restarts.get(name);
    const delay = policy.crashed();
    if (delay === null) {
      console.error(
        `\n${style.red(style.bold(`✖ ${name} ${how} unexpectedly, ${policy.recent} times within ${policy.windowMs / 1000} s: giving up`))} (its last lines are above)`,
      );
      void shutdown(`${name} keeps crashing`, 1);
      return;
    }
    console.error(
      `\n${style.yellow(style.bold(`⚠ ${name} ${how} unexpectedly; restarting it in ${delay / 1000} s`))} ` +
        `(crash ${policy.recent} of at most ${policy.maxCrashes} within ${policy.windowMs / 1000} s; its last lines are above)`,
    );
    setTimeout(() => {
      if (stopping) return;
      start(name, app);
      void waitReady(name, app.readyUrl, app.timeoutS);
    }, delay);
  });
  child.on('error', (err) => {
    console.error(style.red(`✖ could not start ${name}: ${err.message}`));
    void shutdown(`${name} could not start`, 1);
  });
  return child;
}

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'service', 'name', 'v']);

/** pino JSON line -> `12:03:04 INFO  message {fields}`; anything else unchanged. */
function formatLog(line) {
  if (process.env.FRONTLINE_RAW_LOGS === '1' || !line.startsWith('{')) return line;
  let rec;
  try {
    rec = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof rec !== 'object' || rec === null || !('level' in rec)) return line;
  const time = typeof rec.time === 'string' ? new Date(rec.time) : new Date(rec.time ?? Date.now());
  const hhmmss = Number.isNaN(time.getTime()) ? '' : time.toTimeString().slice(0, 8);
  const level = LEVELS[rec.level] ?? String(rec.level);
  const paintLevel = rec.level >= 50 ? style.red : rec.level >= 40 ? style.yellow : style.dim;
  const extra = Object.fromEntries(
    Object.entries(rec).filter(([k, v]) => !HIDDEN.has(k) && v !== undefined && k !== 'err'),
  );
  let text = `${style.dim(hhmmss)} ${paintLevel(level)} ${rec.msg ?? ''}`;
  if (Object.keys(extra).length) text += ` ${style.dim(JSON.stringify(extra))}`;
  if (rec.err?.stack) text += `\n${rec.err.stack}`;
  else if (rec.err) text += ` ${JSON.stringify(rec.err)}`;
  return text;
}

/** Polls a readiness URL, printing what it sees every few seconds; never returns once stopping. */
async function waitReady(name, url, timeoutS) {
  const t = performance.now();
  let lastNote = performance.now();
  let last = 'no answer yet';
  while (!stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        steps.note(
          `${name} is ready (${url.replace('127.0.0.1', 'localhost')}, after ${elapsed(t)})`,
        );
        return;
      }
      last = `HTTP ${res.status} ${(await res.text()).slice(0, 160)}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.name ?? String(err);
    }
    if ((performance.now() - t) / 1000 > timeoutS) {
      await shutdown(
        `${name} not ready`,
        1,
        `${name} was not ready within ${timeoutS} s (last: ${last})`,
      );
    }
    if (performance.now() - lastNote > 3000) {
      lastNote = performance.now();
      steps.note(`waiting for ${name} to be ready (${elapsed(t)}): ${last}`);
    }
    await sleep(300);
  }
  await new Promise(() => {}); // shutdown() exits the process
}

async function printWelcome(port) {
  const base = `http://localhost:${port}`;
  const password = process.env.FRONTLINE_DEMO_PASSWORD || 'frontline-demo';
  const accounts = await demoAccounts();
  const lines = [
    '',
    style.green(style.bold(`✔ Frontline is running (${steps.total()} from start)`)),
    `  Console   ${style.bold(base + '/')}`,
    `  REST API  ${base}/api/v1`,
    `  Health    ${base}/health/ready`,
    '',
    `  Demo accounts (password ${style.bold(password)}, from FRONTLINE_DEMO_PASSWORD):`,
    ...accounts.map((a) => `    ${a.username.padEnd(22)} ${style.dim(a.detail)}`),
    '',
    style.dim('  Ctrl-C stops the api and the worker. Logs follow.'),
    '',
  ];
  console.log(lines.join('\n'));
}

/** The demo accounts as seeded (falls back to the naming rule if the query fails). */
async function demoAccounts() {
  try {
    const { Client } = createRequire(path.join(ROOT, 'package.json'))('pg');
    const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT u.username, u.role, a.name, array_length(a.path, 1) AS depth
           FROM users u JOIN admin_units a ON a.code = u.unit_code WHERE u.active`,
      );
      const vi = new Intl.Collator('vi');
      const rank = (u) => (u === 'province.commander' ? 0 : u === 'province.duty' ? 1 : 2);
      rows.sort(
        (x, y) =>
          x.depth - y.depth || rank(x.username) - rank(y.username) || vi.compare(x.name, y.name),
      );
      if (rows.length)
        return rows.map((r) => ({ username: r.username, detail: `${r.role}, ${r.name}` }));
    } finally {
      await client.end().catch(() => {});
    }
  } catch {
    // fall through
  }
  return [
    { username: 'province.commander', detail: 'commander, province' },
    { username: 'province.duty', detail: 'duty officer, province' },
    { username: '<district-slug>.duty', detail: 'duty officer of a district, e.g. mong-cai.duty' },
  ];
}

function onSignal(signal) {
  if (!stopping) return void shutdown(`${signal} received`, 0);
  // npm forwards the terminal's Ctrl-C too: only a second, deliberate one forces.
  if (Date.now() - firstSignalAt < 1500) return;
  console.log(style.yellow('second signal: killing api and worker now'));
  for (const child of children.values()) child.kill('SIGKILL');
  process.exit(130);
}

/** Stops both children (SIGTERM, then SIGKILL after 10 s) and exits. */
async function shutdown(reason, exitCode, message) {
  if (stopping) return;
  stopping = true;
  firstSignalAt = Date.now();
  const t = performance.now();
  if (message) console.error(`\n${style.red(style.bold(`✖ ${message}`))}`);
  const alive = [...children.entries()];
  if (alive.length) steps.log(`stopping ${alive.map(([n]) => n).join(' and ')} (${reason})`);
  for (const [, child] of alive) child.kill('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (children.size && Date.now() < deadline) await sleep(100);
  for (const [name, child] of children) {
    steps.warn(`${name} did not stop within 10 s: killing it`);
    child.kill('SIGKILL');
  }
  if (alive.length) steps.log(`stopped (${elapsed(t)})`);
  process.exit(exitCode);
}
