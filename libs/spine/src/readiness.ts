import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import type { StreamKeys } from './stream-keys';

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: {
    postgres: { ok: boolean; error?: string };
    redis: { ok: boolean; error?: string };
    consumers: ConsumerGroupInfo[];
  };
}

/** `work`, or a rejection once `ms` have passed: a probe or a scrape never waits on a hung Redis. */
export async function withTimeout<T>(work: Promise<T>, ms = 2000): Promise<T> {
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

export interface ConsumerGroupInfo {
  group: string;
  /** Entries of the stream not yet delivered to the group; null when Redis cannot tell (after deletions). */
  lag: number | null;
  /** Entries delivered to the group and not yet acknowledged. */
  pending: number;
}

/** The consumer groups Redis holds on a stream (XINFO GROUPS); rejects when the stream does not exist. */
export async function readConsumerGroups(redis: Redis, stream: string): Promise<ConsumerGroupInfo[]> {
  const groups = (await redis.call('XINFO', 'GROUPS', stream)) as unknown[][];
  return groups.map((g) => {
    const f = new Map<string, unknown>();
    for (let i = 0; i < g.length; i += 2) f.set(String(g[i]), g[i + 1]);
    const lag = f.get('lag');
    return { group: String(f.get('name')), lag: lag === null || lag === undefined ? null : Number(lag), pending: Number(f.get('pending') ?? 0) };
  });
}

/** Readiness of a process: PostgreSQL and Redis answer; consumer-group lag for operators. */
export async function checkReadiness(dataSource: DataSource, redis: Redis, keys: StreamKeys): Promise<Readiness> {
  const postgres = await withTimeout(dataSource.query('SELECT 1'))
    .then(() => ({ ok: true }))
    .catch((err: Error) => ({ ok: false, error: err.message }));
  const redisCheck = await withTimeout(redis.ping())
    .then(() => ({ ok: true }))
    .catch((err: Error) => ({ ok: false, error: err.message }));
  let consumers: Readiness['checks']['consumers'] = [];
  if (redisCheck.ok) {
    consumers = await withTimeout(readConsumerGroups(redis, keys.events)).catch(() => []);
  }
  return {
    status: postgres.ok && redisCheck.ok ? 'ok' : 'unavailable',
    checks: { postgres, redis: redisCheck, consumers },
  };
}
