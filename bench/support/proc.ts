import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import type { Client } from 'pg';

/**
 * CPU and memory of the processes under test, read from /proc (Linux only). CPU figures are in
 * "% of one core" (200 % = both cores of this machine busy).
 */

let clkTck: number | undefined;
function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** utime + stime of one process in clock ticks, or null when it is gone. */
export function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]); // fields 14 and 15 of stat(5)
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM of a process in bytes. */
export function processMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

const PG_BACKGROUND = ['checkpointer', 'background writer', 'walwriter', 'wal writer', 'autovacuum launcher', 'logical replication', 'stats collector', 'archiver'];

/**
 * Labels PostgreSQL processes: backends (and autovacuum workers) of the bench's own database,
 * the shared background processes (WAL writer, checkpointer, ...), and everything else (other
 * databases: tests running in parallel on the same server).
 */
export function classifyPostgres(cmdline: string, dbName: string): string {
  if (cmdline.includes(` ${dbName} `) || cmdline.endsWith(` ${dbName}`)) return 'postgres';
  if (!cmdline.startsWith('postgres:') || PG_BACKGROUND.some((b) => cmdline.includes(b))) return 'postgres-bg';
  return 'pg-other-dbs';
}

export interface CpuSnapshot {
  at: number;
  /** Machine-wide busy and total jiffies from /proc/stat (all cores). */
  busy: number;
  all: number;
  byPid: Map<number, { label: string; ticks: number }>;
}

export type Labeler = () => { pid: number; label: string }[];

/** Reads the ticks of every labelled process and the machine totals, now. */
export function cpuSnapshot(labeler: Labeler): CpuSnapshot {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already in user.
  const idle = line[3] + (line[4] ?? 0);
  const all = line.slice(0, 8).reduce((a, b) => a + b, 0);
  const byPid = new Map<number, { label: string; ticks: number }>();
  for (const { pid, label } of labeler()) {
    const ticks = processTicks(pid);
    if (ticks !== null) byPid.set(pid, { label, ticks });
  }
  return { at: performance.now(), busy: all - idle, all, byPid };
}

/**
 * CPU use per label between two snapshots, in % of one core. A process first seen in `b`
 * counts all its ticks (it started inside the window); one gone by `b` is lost (pool
 * connections live for the whole run, so that is rare).
 */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): Record<string, number> {
  return cpuOver([a, b]);
}

/**
 * CPU use per label over consecutive snapshots, in % of one core: ticks are summed interval by
 * interval, so a process that lived through part of the window (a parallel build step) is still
 * attributed to its name rather than lost.
 */
export function cpuOver(snaps: CpuSnapshot[]): Record<string, number> {
  const first = snaps[0];
  const last = snaps[snaps.length - 1];
  const seconds = (last.at - first.at) / 1000;
  const hz = ticksPerSecond();
  const ticksByLabel = new Map<string, number>();
  for (let i = 1; i < snaps.length; i++) {
    for (const [pid, now] of snaps[i].byPid) {
      const before = snaps[i - 1].byPid.get(pid)?.ticks ?? 0;
      ticksByLabel.set(now.label, (ticksByLabel.get(now.label) ?? 0) + Math.max(0, now.ticks - before));
    }
  }
  const out: Record<string, number> = {};
  let known = 0;
  for (const [label, ticks] of ticksByLabel) {
    const pct = (ticks / hz / seconds) * 100;
    known += pct;
    if (label.startsWith('other:') && pct < 0.05) continue; // idle bystanders: keep the JSON small
    out[label] = Math.round(pct * 10) / 10;
  }
  // /proc/stat counts jiffies per core, so busy/all * cores * 100 is in "% of one core".
  const machine = ((last.busy - first.busy) / (last.all - first.all || 1)) * os.cpus().length * 100;
  out.machine = Math.round(machine * 10) / 10;
  // Interrupts, softirq (loopback networking) and processes born and gone within one interval.
  out['kernel / unattributed'] = Math.round((machine - known) * 10) / 10;
  return out;
}

/** Samples CPU every `everyMs` so a window can be read afterwards (the processes list is re-read each time). */
export class CpuSampler {
  readonly samples: CpuSnapshot[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly labeler: Labeler,
    private readonly everyMs = 1000,
  ) {}

  start(): this {
    this.samples.push(cpuSnapshot(this.labeler));
    this.timer = setInterval(() => this.samples.push(cpuSnapshot(this.labeler)), this.everyMs);
    this.timer.unref();
    return this;
  }

  mark(): CpuSnapshot {
    const snap = cpuSnapshot(this.labeler);
    this.samples.push(snap);
    return snap;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** CPU per label between two marks, summed over every sample taken in between. */
  window(from: CpuSnapshot, to: CpuSnapshot): Record<string, number> {
    const i = this.samples.indexOf(from);
    const j = this.samples.indexOf(to);
    if (i < 0 || j <= i) return cpuBetween(from, to);
    return cpuOver(this.samples.slice(i, j + 1));
  }

  /** Per-interval CPU of every label (others folded), for the raw JSON. */
  series(): { t: number; cpu: Record<string, number | string> }[] {
    const out: { t: number; cpu: Record<string, number | string> }[] = [];
    for (let i = 1; i < this.samples.length; i++) {
      out.push({ t: Math.round(this.samples[i].at - this.samples[0].at), cpu: foldOthers(cpuBetween(this.samples[i - 1], this.samples[i])) });
    }
    return out;
  }
}

/**
 * The standard labeler: the stack's api(s) and worker, PostgreSQL by role, redis-server, the
 * bench itself and extra pids; every other process on the machine as `other:<command name>`,
 * so work that does not belong to the run (a parallel build or test) shows up by name.
 */
export function stackLabeler(opts: {
  apiPids: number[];
  workerPid: number;
  dbName: string;
  extra?: () => { pid: number; label: string }[];
  /** Splits this database's backends by the process at the other end of the connection. */
  pg?: PgAttribution;
}): Labeler {
  return () => {
    const list: { pid: number; label: string }[] = [];
    opts.apiPids.forEach((pid, i) => list.push({ pid, label: opts.apiPids.length > 1 ? `api#${i}` : 'api' }));
    list.push({ pid: opts.workerPid, label: 'worker' });
    list.push({ pid: process.pid, label: 'bench (load generator)' });
    if (opts.extra) list.push(...opts.extra());
    const known = new Set(list.map((p) => p.pid));
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (known.has(pid)) continue;
      const comm = readText(`/proc/${entry}/comm`)?.trim();
      if (!comm) continue;
      if (comm === 'postgres') {
        const cmdline = (readText(`/proc/${entry}/cmdline`) ?? '').replace(/\0+/g, ' ').trim();
        const label = classifyPostgres(cmdline, opts.dbName);
        list.push({ pid, label: label === 'postgres' && opts.pg ? (opts.pg.ownerOf(pid) ?? label) : label });
      } else if (comm === 'redis-server') {
        list.push({ pid, label: 'redis' });
      } else {
        list.push({ pid, label: `other:${comm}` });
      }
    }
    return list;
  };
}

/** Folds `other:*` and `pg-other-dbs` into one "other processes" figure (plus the top three by name). */
export function foldOthers(cpu: Record<string, number>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  const others: [string, number][] = [];
  for (const [k, v] of Object.entries(cpu)) {
    if (k.startsWith('other:') || k === 'pg-other-dbs') others.push([k.replace(/^other:/, ''), v]);
    else out[k] = v;
  }
  others.sort((a, b) => b[1] - a[1]);
  out['other processes (not this run)'] = Math.round(others.reduce((s, [, v]) => s + v, 0) * 10) / 10;
  out['other processes, top'] = others.slice(0, 3).filter(([, v]) => v >= 1).map(([k, v]) => `${k} ${v} %`).join(', ') || '-';
  return out;
}

/** Machine-wide CPU busy (% of one core) over `ms`. */
export async function machineBusy(ms = 2000): Promise<number> {
  const a = cpuSnapshot(() => []);
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuSnapshot(() => []);
  return cpuBetween(a, b).machine;
}

/**
 * Waits (up to `timeoutS`) until the machine is quiet: busy below `maxPct` % of one core in
 * three consecutive 2 s readings. Other work on a shared box would otherwise be measured as the
 * product's cost. Returns the last reading and whether it was quiet; the bench records both.
 */
export async function waitForQuiet(maxPct: number, timeoutS: number): Promise<{ busyPct: number; quiet: boolean; waitedS: number }> {
  const t0 = performance.now();
  let calm = 0;
  let busy = NaN;
  while (calm < 3) {
    busy = await machineBusy();
    calm = busy <= maxPct ? calm + 1 : 0;
    if (calm === 0 && performance.now() - t0 > timeoutS * 1000) break;
    if (calm === 0) console.error(`machine busy (${busy} % of one core: other work running); waiting for < ${maxPct} % ...`);
  }
  return { busyPct: busy, quiet: calm >= 3, waitedS: Math.round((performance.now() - t0) / 100) / 10 };
}

/** Local TCP ports of a process's sockets, from /proc/<pid>/fd and /proc/net/tcp{,6}. */
export function localPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        /* fd closed meanwhile */
      }
    }
  } catch {
    return new Set();
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (readText(table) ?? '').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9])) ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}

/**
 * Which process owns each PostgreSQL backend of the bench database: the backend's client_port
 * (pg_stat_activity) is matched with the local ports of the api, worker and bench sockets, so
 * PostgreSQL's CPU can be split into "postgres (api)", "postgres (worker)", "postgres (bench)".
 */
export class PgAttribution {
  private owners = new Map<number, string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Client,
    private readonly dbName: string,
    private readonly processes: () => { label: string; pid: number }[],
  ) {}

  ownerOf(backendPid: number): string | undefined {
    return this.owners.get(backendPid);
  }

  async refresh(): Promise<void> {
    const { rows } = await this.db.query<{ pid: number; client_port: number | null }>(
      'SELECT pid, client_port FROM pg_stat_activity WHERE datname = $1 AND client_port IS NOT NULL',
      [this.dbName],
    );
    const portOwner = new Map<number, string>();
    for (const { label, pid } of this.processes()) for (const port of localPortsOf(pid)) portOwner.set(port, label);
    const owners = new Map<number, string>();
    for (const r of rows) {
      const owner = r.client_port === null ? undefined : portOwner.get(r.client_port);
      owners.set(r.pid, `postgres (${owner ?? 'other client'})`);
    }
    this.owners = owners;
  }

  async start(everyMs = 2000): Promise<this> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), everyMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
