/**
 * Provisioning shared by `npm run up` (scripts/up.mjs), `npm test`'s pretest
 * (scripts/ensure-deps.mjs) and CI (.ci/run): npm dependencies, PostgreSQL with PostGIS,
 * Redis, Chromium and the builds that e2e tests spawn.
 *
 * Plain Node ESM with no npm packages: it runs before `npm ci`. The `pg` client is loaded
 * from the project's node_modules only after the install step has run.
 *
 * Run directly, `node scripts/lib/provision.mjs npm-ci` installs dependencies exactly as the
 * scripts do (used by .ci/run).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Defaults of libs/config/src/config.schema.ts; the scripts must agree with the app. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/frontline';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const MIN_PG_MAJOR = 15;
const MIN_REDIS = [6, 2]; // XAUTOCLAIM

// ---------------------------------------------------------------------------------------------
// Output

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : String(text));
export const style = {
  bold: paint(1),
  dim: paint(2),
  red: paint(31),
  green: paint(32),
  yellow: paint(33),
  blue: paint(34),
  magenta: paint(35),
  cyan: paint(36),
};

export function elapsed(since) {
  const s = (performance.now() - since) / 1000;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** An expected failure: printed as a message plus what to do, without a stack trace. */
export class ProvisionError extends Error {
  constructor(message, { hint, exitCode = 1 } = {}) {
    super(message);
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** Numbered steps with timings: `▶ title` ... `✔ title — summary (1.2 s)`. */
export class Steps {
  constructor(tag) {
    this.tag = tag;
    this.started = performance.now();
  }

  log(message) {
    console.log(`${style.dim(`[${this.tag}]`)} ${message}`);
  }

  note(message) {
    this.log(`  ${style.dim('·')} ${message}`);
  }

  warn(message) {
    this.log(`  ${style.yellow('!')} ${style.yellow(message)}`);
  }

  async step(title, fn) {
    const t = performance.now();
    this.log(style.bold(`▶ ${title}`));
    try {
      const summary = await fn();
      this.log(
        `${style.green('✔')} ${title}${summary ? ` — ${summary}` : ''} ${style.dim(`(${elapsed(t)})`)}`,
      );
      return summary;
    } catch (err) {
      this.log(`${style.red('✖')} ${title} ${style.dim(`(failed after ${elapsed(t)})`)}`);
      throw err;
    }
  }

  total() {
    return elapsed(this.started);
  }
}

/** Runs an async main; a ProvisionError becomes a readable message and its exit code. */
export function runMain(main) {
  main().catch((err) => {
    if (err instanceof ProvisionError) {
      console.error(`\n${style.red(style.bold('✖ ' + err.message))}`);
      if (err.hint) console.error(err.hint.replace(/^/gm, '  '));
      process.exit(err.exitCode);
    }
    console.error(err);
    process.exit(1);
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** Short synchronous command; never throws. */
export function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, ...opts });
  return {
    ok: r.status === 0,
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    error: r.error,
  };
}

/**
 * Runs a command, prefixing its output lines (or keeping them for a failure report when
 * `quiet`), printing a heartbeat while it is silent. Resolves with the collected output;
 * rejects with a ProvisionError on a non-zero exit.
 */
export function run(
  cmd,
  args,
  {
    steps,
    label = `${cmd} ${args.join(' ')}`,
    quiet = false,
    prefix = '  │ ',
    env,
    cwd = ROOT,
    heartbeatS = 15,
    hide,
  } = {},
) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const lines = [];
    let last = Date.now();
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (stream) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        last = Date.now();
        const parts = (rest + chunk).split(/\r?\n/);
        rest = parts.pop() ?? '';
        for (const line of parts) emit(line);
      });
      stream.on('end', () => rest && emit(rest));
    };
    const emit = (line) => {
      if (hide?.test(line)) return;
      lines.push(line);
      if (lines.length > 400) lines.shift();
      if (!quiet) console.log(`${style.dim(prefix)}${line}`);
    };
    onData(child.stdout);
    onData(child.stderr);
    const beat = setInterval(() => {
      if (Date.now() - last >= heartbeatS * 1000) {
        last = Date.now();
        const msg = `… ${label}: still running (${elapsed(t)})`;
        if (steps) steps.note(msg);
        else console.log(msg);
      }
    }, 1000);
    child.on('error', (err) => {
      clearInterval(beat);
      reject(new ProvisionError(`${label}: could not start ${cmd} (${err.message})`));
    });
    child.on('close', (code, signal) => {
      clearInterval(beat);
      const output = lines.join('\n');
      if (code === 0) return resolve(output);
      const tail = quiet ? lines.slice(-30).join('\n') : undefined;
      const err = new ProvisionError(
        `${label} failed (${signal ? `signal ${signal}` : `exit code ${code}`})`,
        {
          hint: tail ? `Last lines of its output:\n${tail}` : undefined,
        },
      );
      err.output = output;
      reject(err);
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; `onWait(seconds)` every ~3 s. */
export async function waitFor(probe, { timeoutMs, intervalMs = 250, onWait } = {}) {
  const t = Date.now();
  let lastNote = t;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t > timeoutMs) return null;
    if (onWait && Date.now() - lastNote >= 3000) {
      lastNote = Date.now();
      onWait(Math.round((Date.now() - t) / 1000));
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// .env

/** Loads `.env` into process.env without overriding variables already set (as the app does). */
export function loadDotEnv(root = ROOT) {
  const file = path.join(root, '.env');
  if (process.env.FRONTLINE_SKIP_DOTENV === '1' || !fs.existsSync(file)) return false;
  const vars = parseEnv(fs.readFileSync(file, 'utf8'));
  for (const [k, v] of Object.entries(vars)) if (process.env[k] === undefined) process.env[k] = v;
  return true;
}

export function generateSecret() {
  return randomBytes(24).toString('hex'); // 48 hex characters
}

/** Creates `.env` from `.env.example` with a fresh JWT_SECRET; never touches an existing one. */
export function ensureEnvFile(root = ROOT) {
  const file = path.join(root, '.env');
  if (fs.existsSync(file)) return { created: false, file };
  const example = path.join(root, '.env.example');
  const secretLine = `JWT_SECRET=${generateSecret()}`;
  let text = fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : '';
  if (/^JWT_SECRET=.*$/m.test(text)) text = text.replace(/^JWT_SECRET=.*$/m, secretLine);
  else text += `${text && !text.endsWith('\n') ? '\n' : ''}${secretLine}\n`;
  fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  return { created: true, file };
}

// ---------------------------------------------------------------------------------------------
// npm dependencies

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Why node_modules must be (re)installed, or null when it matches package-lock.json. */
export function installReason(root = ROOT) {
  const lockFile = path.join(root, 'package-lock.json');
  const nm = path.join(root, 'node_modules');
  if (!fs.existsSync(nm)) return 'node_modules is missing';
  const hidden = path.join(nm, '.package-lock.json');
  if (!fs.existsSync(hidden))
    return 'node_modules was not installed by npm 7+ (no node_modules/.package-lock.json)';
  if (fs.statSync(lockFile).mtimeMs <= fs.statSync(hidden).mtimeMs) return null;
  // The lock is newer than the last install (a pull, a checkout): compare what it pins with
  // what is installed, so a mere touch does not cost a full reinstall.
  const lock = readJson(lockFile);
  const installed = readJson(hidden).packages ?? {};
  if (!lock.packages) return 'package-lock.json is newer than node_modules';
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.link || !key.startsWith('node_modules/')) continue;
    const have = installed[key];
    if (!have) {
      if (entry.optional || entry.devOptional) continue; // platform packages are skipped by npm
      return `${key.slice('node_modules/'.length)} ${entry.version} is not installed`;
    }
    if (have.version !== entry.version) {
      return `${key.slice('node_modules/'.length)} is ${have.version}, package-lock.json wants ${entry.version}`;
    }
  }
  return null;
}

/**
 * `npm ci`, except for one case: a registry that does not serve some platform-specific
 * optional packages (as here) makes npm ci refuse a lock that npm install accepts. When every
 * package npm ci reports missing is an optional dependency declared in the lock, install with
 * `npm install --no-save` (same pinned versions, lock file untouched). Any other mismatch fails.
 */
export async function npmCi(root = ROOT, steps) {
  const opts = { steps, cwd: root, prefix: '  npm │ ', hide: NPM_NOISE };
  let out;
  try {
    // Quiet: npm ci's refusal comes with a page of usage text; shown below only when it matters.
    out = await run('npm', ['ci', '--no-audit', '--no-fund'], {
      ...opts,
      label: 'npm ci',
      quiet: true,
    });
    printTail(out, steps);
    return 'npm ci';
  } catch (err) {
    out = err.output ?? '';
    if (!/can only install packages when your package\.json and package-lock\.json/.test(out)) {
      throw new ProvisionError(err.message, {
        hint: `npm's output:\n${out.split('\n').slice(-40).join('\n')}`,
      });
    }
  }
  const missing = [...out.matchAll(/Missing: (.+?)@\S* from lock file/g)].map((m) => m[1]);
  const invalid = /Invalid: lock file's/.test(out);
  const lock = readJson(path.join(root, 'package-lock.json'));
  const optional = new Set();
  for (const entry of Object.values(lock.packages ?? {})) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) optional.add(name);
  }
  const onlyOptional =
    missing.length > 0 && !invalid && missing.every((name) => optional.has(name));
  if (!onlyOptional) {
    throw new ProvisionError('package-lock.json does not match package.json (npm ci refused it)', {
      hint: `${out
        .split('\n')
        .filter((l) => /Missing:|Invalid:/.test(l))
        .join(
          '\n',
        )}\nRun \`npm install\`, then commit package.json and package-lock.json together.`,
    });
  }
  steps?.note(
    `npm ci refused the lock only because this registry does not serve ${missing.length} optional ` +
      `platform package(s) (${missing.join(', ')}); installing the same pinned versions with npm install --no-save`,
  );
  out = await run('npm', ['install', '--no-save', '--no-audit', '--no-fund'], {
    ...opts,
    label: 'npm install --no-save',
    quiet: true,
  });
  printTail(out, steps);
  return 'npm install --no-save (npm ci fallback)';
}

/** Lines of npm output that say nothing about this project (this machine's global npmrc). */
export const NPM_NOISE = /^npm warn Unknown (user|env|global) config "nodedir"/;

function printTail(out, steps) {
  const summary = out.split('\n').filter((l) => /^(added|removed|changed|up to date)\b/.test(l));
  for (const line of summary) steps?.note(`npm: ${line}`);
}

/** Installs npm dependencies when node_modules is missing or behind package-lock.json. */
export async function ensureNodeModules(root = ROOT, steps) {
  if (process.env.FRONTLINE_SKIP_INSTALL === '1') return 'skipped (FRONTLINE_SKIP_INSTALL=1)';
  if (!fs.existsSync(path.join(root, 'package-lock.json'))) {
    if (fs.existsSync(path.join(root, 'node_modules')))
      return 'no package-lock.json; keeping node_modules';
    await run('npm', ['install', '--no-audit', '--no-fund'], {
      steps,
      label: 'npm install',
      cwd: root,
      prefix: '  npm │ ',
      hide: NPM_NOISE,
    });
    return 'installed with npm install (no package-lock.json)';
  }
  const reason = installReason(root);
  if (!reason) return 'node_modules matches package-lock.json';
  steps?.note(`${reason}: installing`);
  const how = await npmCi(root, steps);
  return `installed with ${how}`;
}

// ---------------------------------------------------------------------------------------------
// apt (Debian/Ubuntu as root) and Docker

export function canApt() {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    fs.existsSync('/etc/debian_version') &&
    which('apt-get') !== null &&
    process.env.FRONTLINE_NO_APT !== '1'
  );
}

export function dpkgInstalled(pkg) {
  const r = capture('dpkg-query', ['-W', '-f=${Status}', pkg]);
  return r.ok && r.stdout.includes('ok installed');
}

let aptUpdated = false;
const aptEnv = () => ({ ...process.env, DEBIAN_FRONTEND: 'noninteractive' });

async function aptUpdate(steps) {
  if (aptUpdated) return;
  await run('apt-get', ['update', '-q'], {
    steps,
    label: 'apt-get update',
    quiet: true,
    env: aptEnv(),
  });
  aptUpdated = true;
}

export async function aptInstall(pkgs, steps) {
  await aptUpdate(steps);
  steps?.note(`apt-get install -y ${pkgs.join(' ')}`);
  await run('apt-get', ['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300', ...pkgs], {
    steps,
    label: `apt-get install ${pkgs.join(' ')}`,
    quiet: true,
    env: aptEnv(),
  });
}

let dockerState;
/** A Docker engine that answers, with the compose plugin, and our docker-compose.yml. */
export function dockerUsable(root = ROOT) {
  if (dockerState === undefined) {
    dockerState =
      process.env.FRONTLINE_NO_DOCKER !== '1' &&
      which('docker') !== null &&
      fs.existsSync(path.join(root, 'docker-compose.yml')) &&
      capture('docker', ['info'], { timeout: 10_000 }).ok &&
      capture('docker', ['compose', 'version'], { timeout: 10_000 }).ok;
  }
  return dockerState;
}

async function composeUp(root, services, steps, extraEnv) {
  steps?.note(`docker compose up -d --wait ${services.join(' ')}`);
  // The file requires JWT_SECRET for the api; the database services do not use it.
  const env = {
    ...process.env,
    JWT_SECRET: process.env.JWT_SECRET || 'unused-by-postgres-and-redis-0000000000',
    ...extraEnv,
  };
  await run('docker', ['compose', 'up', '-d', '--wait', ...services], {
    steps,
    label: 'docker compose up',
    cwd: root,
    env,
  });
}

// ---------------------------------------------------------------------------------------------
// Network helpers

export function isLocalHost(host) {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '' || h === 'localhost' || h === '::1' || /^127\./.test(h);
}

export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Resolves true when something accepts a TCP connection on host:port. */
export function tcpOpen(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, '') || '127.0.0.1', port });
    const done = (v) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------------------------
// Redis (a raw RESP client: PING/INFO is all we need)

function respEncode(args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Parses one RESP reply from buf at offset: { value, next } or null when incomplete. */
function respParse(buf, offset) {
  const eol = buf.indexOf('\r\n', offset);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[offset]);
  const line = buf.toString('utf8', offset + 1, eol);
  if (type === '+' || type === ':') return { value: line, next: eol + 2 };
  if (type === '-') return { value: { error: line }, next: eol + 2 };
  if (type === '$') {
    const len = Number(line);
    if (len < 0) return { value: null, next: eol + 2 };
    if (buf.length < eol + 2 + len + 2) return null;
    return { value: buf.toString('utf8', eol + 2, eol + 2 + len), next: eol + 2 + len + 2 };
  }
  return { value: { error: `unexpected reply type ${type}` }, next: buf.length };
}

/**
 * Asks Redis for its version. Resolves { ok: true, version } or { ok: false, reachable, message }.
 */
export function redisProbe(urlString, timeoutMs = 2000) {
  const u = new URL(urlString);
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const commands = [];
  if (u.password)
    commands.push(
      u.username
        ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)]
        : ['AUTH', decodeURIComponent(u.password)],
    );
  commands.push(['INFO', 'server']);
  return new Promise((resolve) => {
    const socket =
      u.protocol === 'rediss:'
        ? tls.connect({ host, port, servername: host })
        : net.connect({ host, port });
    let buf = Buffer.alloc(0);
    let offset = 0;
    const replies = [];
    let connected = false;
    const done = (v) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ ok: false, reachable: connected, message: 'no answer (timeout)' }),
    );
    socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket.write(commands.map(respEncode).join(''));
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (let r = respParse(buf, offset); r; r = respParse(buf, offset)) {
        offset = r.next;
        replies.push(r.value);
        if (r.value && typeof r.value === 'object' && r.value.error) {
          return done({ ok: false, reachable: true, message: r.value.error });
        }
        if (replies.length === commands.length) {
          const version = /redis_version:([\d.]+)/.exec(String(r.value))?.[1] ?? 'unknown';
          return done({ ok: true, version });
        }
      }
    });
    socket.once('error', (err) =>
      done({ ok: false, reachable: connected, message: err.code ?? err.message }),
    );
  });
}

/** Exactly what to install, per platform, when a local service is missing and we cannot add it. */
function servicesHint(service) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  const lines =
    service === 'redis'
      ? [
          `Install Redis ${MIN_REDIS.join('.')}+, then run this again. For example:`,
          `  Debian/Ubuntu: ${sudo}apt-get install -y redis-server`,
          `                 redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`,
          '  macOS:         brew install redis && brew services start redis',
          '  Docker engine: docker compose up -d --wait redis',
          'Or point REDIS_URL at a Redis you have.',
        ]
      : [
          `Install PostgreSQL ${MIN_PG_MAJOR}+ with PostGIS, then run this again. For example:`,
          `  Debian/Ubuntu: ${sudo}apt-get install -y postgresql postgresql-15-postgis-3`,
          `                 ${sudo}pg_ctlcluster --skip-systemctl-redirect 15 main start`,
          '                 (and let user postgres in over 127.0.0.1: trust in pg_hba.conf, or a password in DATABASE_URL)',
          '  macOS:         brew install postgresql@15 postgis && brew services start postgresql@15',
          '                 DATABASE_URL=postgres://$USER@127.0.0.1:5432/frontline',
          '  Docker engine: docker compose up -d --wait postgres',
          '                 DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/frontline',
          'Or point DATABASE_URL at a PostgreSQL server with PostGIS that you have.',
        ];
  return lines.join('\n');
}

const REDIS_START_ARGS = (port) => [
  '--daemonize',
  'yes',
  '--bind',
  '127.0.0.1',
  '--port',
  String(port),
  '--save',
  '',
  '--appendonly',
  'no',
];

async function startLocalRedis(root, port, steps) {
  if (!which('redis-server') && canApt()) {
    steps.note('redis-server is not installed: installing it with apt');
    await aptInstall(['redis-server'], steps);
    if ((await redisProbe(`redis://127.0.0.1:${port}`)).ok)
      return 'installed with apt (its service started it)';
  }
  if (which('redis-server')) {
    const args = REDIS_START_ARGS(port);
    steps.note(`starting: redis-server ${args.map((a) => (a === '' ? '""' : a)).join(' ')}`);
    // Daemonized from a neutral directory: even if saving were on, no dump lands in the repo.
    await run('redis-server', args, {
      steps,
      label: 'redis-server',
      cwd: fs.realpathSync('/tmp'),
      quiet: true,
    });
    return `started redis-server on 127.0.0.1:${port}`;
  }
  if (dockerUsable(root)) {
    await composeUp(root, ['redis'], steps, { FRONTLINE_REDIS_PORT: String(port) });
    return `started the redis service of docker-compose.yml on 127.0.0.1:${port}`;
  }
  throw new ProvisionError(`Redis does not answer on 127.0.0.1:${port} and is not installed here`, {
    hint: servicesHint('redis'),
  });
}

/** Makes sure REDIS_URL (default: local Redis) answers, starting or installing a local one. */
export async function ensureRedis(root = ROOT, steps) {
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const u = new URL(url);
  const port = Number(u.port || 6379);
  let probe = await redisProbe(url);
  let how = 'already running';
  if (!probe.ok && !probe.reachable) {
    if (!isLocalHost(u.hostname)) {
      throw new ProvisionError(`Redis at ${redact(url)} does not answer (${probe.message})`, {
        hint: 'Start that server, or fix REDIS_URL (in the environment or .env).',
      });
    }
    steps.note(`nothing answers at ${redact(url)} (${probe.message})`);
    how = await startLocalRedis(root, port, steps);
    probe = await waitFor(
      async () => {
        const p = await redisProbe(url);
        return p.ok ? p : null;
      },
      { timeoutMs: 20_000, onWait: (s) => steps.note(`waiting for Redis (${s} s)`) },
    );
    if (!probe)
      throw new ProvisionError(`Redis still does not answer at ${redact(url)} after starting it`);
  }
  if (!probe.ok) {
    throw new ProvisionError(`Redis at ${redact(url)} answered with an error: ${probe.message}`, {
      hint: /NOAUTH|WRONGPASS|auth/i.test(probe.message)
        ? 'Put the password in REDIS_URL: redis://:PASSWORD@HOST:PORT (or redis://USER:PASSWORD@...).'
        : undefined,
    });
  }
  const [maj, min] = probe.version.split('.').map(Number);
  if (maj < MIN_REDIS[0] || (maj === MIN_REDIS[0] && min < MIN_REDIS[1])) {
    throw new ProvisionError(
      `Redis ${probe.version} at ${redact(url)} is too old: Frontline needs ${MIN_REDIS.join('.')}+ (XAUTOCLAIM)`,
    );
  }
  return `Redis ${probe.version} at ${redact(url)} (${how})`;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

function loadPg(root) {
  try {
    return createRequire(path.join(root, 'package.json'))('pg');
  } catch {
    throw new ProvisionError(
      'The npm package `pg` is not installed, so PostgreSQL cannot be checked',
      {
        hint: 'Install the dependencies first (npm ci), or unset FRONTLINE_SKIP_INSTALL.',
      },
    );
  }
}

async function pgQuery(root, url, sql, params = []) {
  const { Client } = loadPg(root);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
}

const isAuthError = (err) =>
  err?.code === '28P01' ||
  err?.code === '28000' ||
  /password|SASL|authentication/i.test(err?.message ?? '');

function authHint(url) {
  return [
    `Give the right user and password in DATABASE_URL (now ${redact(url)}):`,
    '  DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/frontline   (in the environment or .env)',
    'For a local development server you may instead trust loopback connections of user postgres,',
    'as the first lines of pg_hba.conf, then reload PostgreSQL:',
    '  host all postgres 127.0.0.1/32 trust',
    '  host all postgres ::1/128 trust',
  ].join('\n');
}

/** Debian clusters from pg_lsclusters: [{ version, name, port, status }]. */
export function debianClusters() {
  if (!which('pg_lsclusters')) return [];
  const r = capture('pg_lsclusters', ['--no-header']);
  if (!r.ok) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[0]))
    .map(([version, name, port, status]) => ({ version, name, port: Number(port), status }));
}

/** Lets user postgres in over loopback without a password; only on a cluster we just created. */
function trustLoopback(cluster, steps) {
  const hba = `/etc/postgresql/${cluster.version}/${cluster.name}/pg_hba.conf`;
  if (!fs.existsSync(hba)) return;
  const text = fs.readFileSync(hba, 'utf8');
  if (text.includes('# frontline: loopback trust')) return;
  const lines = [
    '# frontline: loopback trust for user postgres (development cluster created by scripts/lib/provision.mjs)',
    'host all postgres 127.0.0.1/32 trust',
    'host all postgres ::1/128 trust',
    '',
  ].join('\n');
  fs.writeFileSync(hba, lines + text);
  steps.note(
    `${hba}: user postgres may connect over loopback without a password (development cluster)`,
  );
  capture('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'reload']);
}

function aptPostgresMajor() {
  const r = capture('apt-cache', ['depends', 'postgresql']);
  return /Depends: postgresql-(\d+)\b/.exec(r.stdout)?.[1] ?? null;
}

async function startLocalPostgres(root, port, steps) {
  let clusters = debianClusters();
  let fresh = false;
  if (clusters.length === 0 && canApt()) {
    steps.note('PostgreSQL is not installed: installing it with apt');
    await aptUpdate(steps);
    const major = aptPostgresMajor();
    await aptInstall(
      major ? ['postgresql', `postgresql-${major}-postgis-3`] : ['postgresql'],
      steps,
    );
    clusters = debianClusters();
    if (clusters.length === 0) {
      const v =
        major ?? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))[0];
      await run('pg_createcluster', [v, 'main', '--port', String(port)], { steps, quiet: true });
      clusters = debianClusters();
    }
    fresh = true;
  }
  if (clusters.length > 0) {
    const cluster = clusters.find((c) => c.port === port);
    if (!cluster) {
      throw new ProvisionError(`No PostgreSQL cluster of this machine uses port ${port}`, {
        hint: `Clusters: ${clusters.map((c) => `${c.version}/${c.name} on port ${c.port} (${c.status})`).join(', ')}.\nSet DATABASE_URL to one of those ports.`,
      });
    }
    if (fresh) trustLoopback(cluster, steps);
    if (cluster.status === 'online') {
      steps.note(
        `PostgreSQL ${cluster.version}/${cluster.name} is online but not on 127.0.0.1:${port} yet; waiting`,
      );
      return 'already running';
    }
    steps.note(
      `PostgreSQL ${cluster.version}/${cluster.name} is ${cluster.status}: pg_ctlcluster --skip-systemctl-redirect ${cluster.version} ${cluster.name} start`,
    );
    await run(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'],
      {
        steps,
        label: 'pg_ctlcluster start',
        quiet: true,
      },
    );
    return fresh
      ? `installed PostgreSQL ${cluster.version} with apt and started it`
      : `started cluster ${cluster.version}/${cluster.name}`;
  }
  if (dockerUsable(root)) {
    await composeUp(root, ['postgres'], steps, { FRONTLINE_PG_PORT: String(port) });
    const u = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
    if (!u.password) {
      u.username = 'postgres';
      u.password = 'postgres';
      process.env.DATABASE_URL = u.toString();
      steps.note(
        `using DATABASE_URL=${u.toString()} (the compose service's password; put it in .env to keep it)`,
      );
    }
    return `started the postgres service of docker-compose.yml on 127.0.0.1:${port}`;
  }
  throw new ProvisionError(
    `PostgreSQL does not answer on 127.0.0.1:${port} and is not installed here`,
    {
      hint: servicesHint('postgres'),
    },
  );
}

/** Connects, retrying while the server is starting; auth failures become a readable error. */
async function pgConnectInfo(root, url, steps, shownUrl = url) {
  const t = Date.now();
  for (;;) {
    try {
      const [row] = await pgQuery(
        root,
        url,
        `SELECT current_setting('server_version') AS version,
                current_setting('server_version_num')::int AS num,
                (SELECT default_version FROM pg_available_extensions WHERE name = 'postgis') AS postgis`,
      );
      return row;
    } catch (err) {
      if (isAuthError(err)) {
        throw new ProvisionError(`PostgreSQL refused the login: ${err.message}`, {
          hint: authHint(shownUrl),
        });
      }
      const transient =
        err.code === '57P03' || err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET';
      if (err.code === '3D000' || !transient || Date.now() - t > 30_000) throw err;
      if (Date.now() - t > 2000) steps.note(`PostgreSQL not ready yet (${err.message}); retrying`);
      await sleep(500);
    }
  }
}

/**
 * Makes sure DATABASE_URL (default: local PostgreSQL) answers with PostGIS available, starting
 * or installing a local server when needed, and creates the database when `createDatabase`.
 */
export async function ensurePostgres(root = ROOT, steps, { createDatabase = true } = {}) {
  let url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const u = new URL(url);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 5432);
  const db =
    decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || 'postgres';
  let how = 'already running';
  if (!(await tcpOpen(host, port))) {
    if (!isLocalHost(host)) {
      throw new ProvisionError(`PostgreSQL at ${redact(url)} does not answer`, {
        hint: 'Start that server, or fix DATABASE_URL (in the environment or .env).',
      });
    }
    steps.note(`nothing answers at ${host}:${port}`);
    how = await startLocalPostgres(root, port, steps);
    url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL; // the Docker path may set a password
    const up = await waitFor(() => tcpOpen(host, port), {
      timeoutMs: 30_000,
      onWait: (s) => steps.note(`waiting for PostgreSQL on ${host}:${port} (${s} s)`),
    });
    if (!up) {
      throw new ProvisionError(`PostgreSQL still does not answer on ${host}:${port}`, {
        hint: 'Look at its log (Debian: /var/log/postgresql/) and at listen_addresses / port in postgresql.conf.',
      });
    }
  }

  // The maintenance database answers the server questions; the target may not exist yet.
  const admin = withDatabase(url, 'postgres');
  let info;
  try {
    info = await pgConnectInfo(root, admin, steps, url);
  } catch (err) {
    if (err.code !== '3D000') throw err;
    info = await pgConnectInfo(root, url, steps); // no `postgres` db (managed servers): use the target
  }
  const major = Math.floor(info.num / 10000);
  if (major < MIN_PG_MAJOR) {
    throw new ProvisionError(
      `PostgreSQL ${info.version} at ${redact(url)} is too old: Frontline needs ${MIN_PG_MAJOR}+`,
    );
  }

  if (!info.postgis) {
    const pkg = `postgresql-${major}-postgis-3`;
    if (isLocalHost(host) && canApt()) {
      steps.note(`PostGIS is not available to PostgreSQL ${major}: installing ${pkg}`);
      await aptInstall([pkg], steps);
      info = await pgConnectInfo(root, admin, steps).catch(() => pgConnectInfo(root, url, steps));
    }
    if (!info.postgis) {
      throw new ProvisionError(
        `PostGIS is not available on the PostgreSQL server at ${redact(url)}`,
        {
          hint: [
            'Frontline stores geometry with PostGIS. Install it for that server, e.g.:',
            `  Debian/Ubuntu: sudo apt-get install -y ${pkg}`,
            '  macOS:         brew install postgis',
            '  Docker:        the postgis/postgis:15-3.4 image (docker-compose.yml) has it',
          ].join('\n'),
        },
      );
    }
  }

  let dbNote = '';
  if (createDatabase) {
    const created = await ensureDatabase(root, url, db, admin);
    dbNote = created ? `, created database "${db}"` : `, database "${db}"`;
  }
  return `PostgreSQL ${info.version.split(' ')[0]} with PostGIS ${info.postgis} at ${redact(url).replace(/\/[^/]*$/, '')}${dbNote} (${how})`;
}

/** Creates database `db` when missing. Returns true when it created it. */
export async function ensureDatabase(root, url, db, admin = withDatabase(url, 'postgres')) {
  try {
    await pgQuery(root, url, 'SELECT 1');
    return false;
  } catch (err) {
    if (err.code !== '3D000') throw err;
  }
  try {
    await pgQuery(root, admin, `CREATE DATABASE "${db.replace(/"/g, '""')}"`);
    return true;
  } catch (err) {
    if (err.code === '42P04') return false; // created meanwhile by someone else
    throw new ProvisionError(`Could not create database "${db}": ${err.message}`, {
      hint: 'Create it yourself (createdb) or give DATABASE_URL a user allowed to CREATE DATABASE.',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium (browser tests)

const NOTO = '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf';

export async function ensureChromium(steps) {
  const bin = which('chromium');
  if (bin) {
    if (canApt() && !fs.existsSync(NOTO) && !dpkgInstalled('fonts-noto-core')) {
      steps.note('fonts-noto-core is missing (Vietnamese text in screenshots): installing it');
      await aptInstall(['fonts-noto-core'], steps);
    }
    return bin;
  }
  const hint = [
    "Browser tests drive Debian's Chromium through playwright-core (no browser download).",
    '  Debian/Ubuntu: sudo apt-get install -y chromium fonts-noto-core',
    'Or run the other tests without them: FRONTLINE_SKIP_BROWSER=1 npm test',
  ].join('\n');
  if (process.env.FRONTLINE_SKIP_BROWSER === '1') {
    steps.warn(
      'chromium is not installed; browser tests will be skipped (FRONTLINE_SKIP_BROWSER=1)',
    );
    return 'missing (FRONTLINE_SKIP_BROWSER=1)';
  }
  if (canApt()) {
    steps.note('chromium is not installed: installing chromium and fonts-noto-core with apt');
    await aptInstall(['chromium', 'fonts-noto-core'], steps);
    const installed = which('chromium');
    if (installed) return `${installed} (installed with apt)`;
  }
  throw new ProvisionError('Chromium is not installed (`command -v chromium` finds nothing)', {
    hint,
  });
}

// ---------------------------------------------------------------------------------------------
// Builds

/** Newest mtime (ms) of the files under the given paths, skipping build output and specs. */
export function newestMtime(root, rels) {
  let newest = 0;
  const skipDir = new Set(['node_modules', 'dist', 'coverage', '.git']);
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (!skipDir.has(e)) walk(path.join(p, e));
    } else if (!/\.(e2e-)?spec\.tsx?$/.test(p) && st.mtimeMs > newest) {
      newest = st.mtimeMs;
    }
  };
  for (const rel of rels) walk(path.join(root, rel));
  return newest;
}

/** The compiled entry of a Nest app: where start:api says, or where tsc puts it with libs. */
export function appEntry(root, app) {
  const candidates = [`dist/apps/${app}/main.js`, `dist/apps/${app}/apps/${app}/src/main.js`];
  let best = null;
  for (const rel of candidates) {
    const file = path.join(root, rel);
    if (
      fs.existsSync(file) &&
      (!best || fs.statSync(file).mtimeMs > fs.statSync(best.file).mtimeMs)
    ) {
      best = { rel, file };
    }
  }
  return best;
}

/** Build targets: api and worker (nest), and the console (vite) when `withConsole`. */
export function buildTargets(root = ROOT, { withConsole = false } = {}) {
  const shared = [
    'libs',
    'tsconfig.json',
    'tsconfig.build.json',
    'nest-cli.json',
    'package-lock.json',
  ];
  const nest = (app) => ({
    name: app,
    present: fs.existsSync(path.join(root, `apps/${app}/src/main.ts`)),
    inputs: [`apps/${app}/src`, `apps/${app}/tsconfig.app.json`, ...shared],
    output: () => appEntry(root, app)?.file ?? null,
    command: ['npm', ['run', '--silent', `build:${app}`]],
  });
  const targets = [nest('api'), nest('worker')];
  if (withConsole) {
    const dist = path.resolve(root, process.env.CONSOLE_DIST || 'apps/console/dist');
    targets.push({
      name: 'console',
      present: fs.existsSync(path.join(root, 'apps/console/index.html')),
      inputs: ['apps/console', 'libs/contracts', 'package.json', 'package-lock.json'],
      output: () => {
        const f = path.join(dist, 'index.html');
        return fs.existsSync(f) ? f : null;
      },
      command: ['npm', ['run', '--silent', 'build:console']],
      hide: /^\S*dist\/assets\/\S+\s+[\d.]+ kB|nodedir|configLoader|ESM syntax in a file loaded as CommonJS|VITE_CONFIG_NATIVE_IGNORE_WARNING/,
    });
  }
  return targets;
}

export function isFresh(root, target) {
  const out = target.output();
  if (!out) return false;
  return fs.statSync(out).mtimeMs > newestMtime(root, target.inputs);
}

/** A lock directory so two `npm test` runs in one checkout do not build over each other. */
async function withBuildLock(root, steps, fn) {
  const dir = path.join(root, 'dist', '.build-lock');
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  const t = Date.now();
  let lastNote = 0;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
      } catch {
        // being created or removed
      }
      let alive = false;
      if (owner) {
        try {
          process.kill(owner, 0);
          alive = true;
        } catch {
          alive = false;
        }
      }
      const age = Date.now() - (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if ((owner && !alive) || age > 10 * 60_000) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - t > 15 * 60_000)
        throw new ProvisionError(`Timed out waiting for the build lock ${dir}`);
      if (Date.now() - lastNote > 5000) {
        lastNote = Date.now();
        steps.note(`another build is running in this checkout (pid ${owner || '?'}); waiting`);
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the stale targets, concurrently, each line prefixed with its name. A failed build's
 * output is marked stale (mtime 0) so the next run builds it again.
 */
export async function buildStale(
  root = ROOT,
  steps,
  targets,
  { force = process.env.FRONTLINE_FORCE_BUILD === '1', required = false } = {},
) {
  if (process.env.FRONTLINE_SKIP_BUILD === '1') return 'skipped (FRONTLINE_SKIP_BUILD=1)';
  const missing = targets.filter((t) => !t.present);
  if (missing.length && required) {
    throw new ProvisionError(
      `Nothing to build for ${missing.map((t) => t.name).join(', ')} (no sources yet)`,
    );
  }
  for (const t of missing) steps.note(`${t.name}: no sources yet, nothing to build`);
  const present = targets.filter((t) => t.present);
  if (!force && present.every((t) => isFresh(root, t))) {
    return `${present.map((t) => t.name).join(', ') || 'nothing'} up to date`;
  }
  return withBuildLock(root, steps, async () => {
    const stale = present.filter((t) => force || !isFresh(root, t)); // re-check: a build may just have finished
    if (stale.length === 0) return 'built meanwhile by another run';
    steps.note(
      `building ${stale.map((t) => t.name).join(', ')}${stale.length > 1 ? ' in parallel' : ''}`,
    );
    const results = await Promise.allSettled(
      stale.map((t) =>
        run(t.command[0], t.command[1], {
          steps,
          label: `build ${t.name}`,
          cwd: root,
          prefix: `  ${t.name} │ `,
          hide: t.hide ?? NPM_NOISE,
        }).catch((err) => {
          const out = t.output();
          if (out) fs.utimesSync(out, 0, 0);
          throw err;
        }),
      ),
    );
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [stale[i].name] : []));
    if (failed.length) {
      throw new ProvisionError(`Build failed: ${failed.join(', ')}`, {
        hint: 'The compiler output is above.',
      });
    }
    return `built ${stale.map((t) => t.name).join(', ')}`;
  });
}

// ---------------------------------------------------------------------------------------------
// CLI for .ci/run

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [cmd] = process.argv.slice(2);
  const steps = new Steps('provision');
  if (cmd === 'npm-ci') {
    runMain(async () => {
      await steps.step('npm dependencies', () => npmCi(ROOT, steps));
    });
  } else {
    console.error('usage: node scripts/lib/provision.mjs npm-ci');
    process.exit(64);
  }
}
