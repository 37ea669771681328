import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { StreamKeys } from './stream-keys';

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: {
    postgres: { ok: boolean; error?: string };
    redis: { ok: boolean; error?: string };
    consumers: { group: string; lag: number | null; pending: number }[];
  };
}

async function timed<T>(work: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness of a process: PostgreSQL and Redis answer; consumer-group lag for operators. */
export async function checkReadiness(dataSource: DataSource, redis: Redis, keys: StreamKeys): Promise<Readiness> {
  const postgres = await timed(dataSource.query('SELECT 1'))
    .then(() => ({ ok: true }))
    .catch((err: Error) => ({ ok: false, error: err.message }));
  const redisCheck = await timed(redis.ping())
    .then(() => ({ ok: true }))
    .catch((err: Error) => ({ ok: false, error: err.message }));
  let consumers: Readiness['checks']['consumers'] = [];
  if (redisCheck.ok) {
    const groups = (await timed(redis.call('XINFO', 'GROUPS', keys.events)).catch(() => [])) as unknown[][];
    consumers = groups.map((g) => {
      const f = new Map<string, unknown>();
      for (let i = 0; i < g.length; i += 2) f.set(String(g[i]), g[i + 1]);
      const lag = f.get('lag');
      return { group: String(f.get('name')), lag: lag === null || lag === undefined ? null : Number(lag), pending: Number(f.get('pending') ?? 0) };
    });
  }
  return {
    status: postgres.ok && redisCheck.ok ? 'ok' : 'unavailable',
    checks: { postgres, redis: redisCheck, consumers },
  };
}
