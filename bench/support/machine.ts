import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import type Redis from 'ioredis';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  ramGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  redis: string;
  loadAvgAtStart: number[];
}

/** What the figures were measured on; PostgreSQL and Redis versions are asked of the servers used. */
export async function machineInfo(db: Client, redis: Redis): Promise<MachineInfo> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const pg = await db.query<{ v: string }>('SELECT current_setting(\'server_version\') AS v');
  const settings = await db.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
     WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'autovacuum', 'max_connections', 'wal_level')`,
  );
  const info = await redis.info('server');
  return {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    cpuModel,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.version,
    postgres: pg.rows[0].v,
    postgresSettings: Object.fromEntries(settings.rows.map((r) => [r.name, r.unit ? `${r.setting} (${r.unit})` : r.setting])),
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    loadAvgAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function machineLine(m: MachineInfo): string {
  return `${m.nproc} vCPU ${m.cpuModel}, ${m.ramGiB} GiB RAM, Linux ${m.kernel}; Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}`;
}

/** Writes the raw result as JSON under bench/results/ (ignored by git); returns the path. */
export function resultsDir(): string {
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function saveResult(name: string, result: unknown): string {
  const dir = resultsDir();
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  return file;
}

export const DISTRICT_CODES = ['193', '194', '195', '196', '198', '199', '200', '201', '202', '203', '205', '206', '207'] as const;
export const PROVINCE_CODE = '22';

export interface BuildInfo {
  commit: string;
  /** apps/ or libs/ differ from the commit (uncommitted product changes). */
  productDirty: boolean;
  /** Newest file of the built api and worker: the code that actually ran. */
  distBuiltAt: string;
}

/** Which product code ran: the commit, whether apps/libs had local changes, and when dist/ was built. */
export function buildInfo(): BuildInfo {
  const root = join(__dirname, '..', '..');
  const git = (...a: string[]) => {
    try {
      return execFileSync('git', a, { cwd: root }).toString().trim();
    } catch {
      return '';
    }
  };
  let newest = 0;
  const walk = (dir: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (name.endsWith('.js')) newest = Math.max(newest, st.mtimeMs);
    }
  };
  walk(join(root, 'dist', 'apps', 'api'));
  walk(join(root, 'dist', 'apps', 'worker'));
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    productDirty: git('status', '--porcelain', '--', 'apps', 'libs') !== '',
    distBuiltAt: newest ? new Date(newest).toISOString() : 'unknown',
  };
}

export function buildLine(b: BuildInfo): string {
  return `commit ${b.commit}${b.productDirty ? ' + uncommitted changes in apps/ or libs/' : ''}, dist/ built ${b.distBuiltAt.replace('T', ' ').slice(0, 19)} UTC`;
}
