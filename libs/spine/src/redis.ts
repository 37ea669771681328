import Redis, { RedisOptions } from 'ioredis';

/**
 * Redis connections. Commands that sit on the ingest path fail fast while Redis is away
 * (the outbox relay republishes later); blocking readers get their own connection.
 */
export function createRedis(url: string, name: string, kind: 'command' | 'blocking' = 'command'): Redis {
  const options: RedisOptions = {
    connectionName: `frontline:${name}`,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(200 * attempt, 2000),
    ...(kind === 'command'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 5000 }
      : { maxRetriesPerRequest: null, enableOfflineQueue: true }),
  };
  return new Redis(url, options);
}

export type { Redis };
