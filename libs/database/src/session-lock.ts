import type { DataSource } from 'typeorm';

/**
 * Runs `work` while this process holds the session advisory lock named `name`, taken without
 * waiting: `{ ran: false }` when another session holds it. The lock lives on a connection of its
 * own, so `work` may use the pool (and its own transactions) freely; it is released however
 * `work` ends.
 */
export async function withTryLock<T>(
  dataSource: DataSource,
  name: string,
  work: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [name])) as { locked: boolean }[];
    if (!locked) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    }
  } finally {
    await runner.release();
  }
}
