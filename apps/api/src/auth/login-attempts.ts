import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { REDIS, Redis } from '@frontline/spine';

/** Wrong passwords a username may take in the window before sign-in is refused for it. */
export const MAX_LOGIN_FAILURES = 10;
const FAILURE_WINDOW_SECONDS = 15 * 60;

/**
 * Failed sign-ins per username, known or not (usernames are predictable: `<district>.duty`).
 * Counted in Redis so every api instance sees the same count; with Redis away each instance
 * counts in memory. A good password clears the count.
 */
@Injectable()
export class LoginAttempts {
  private readonly failures: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    this.failures = new RateLimiterRedis({
      storeClient: redis,
      rejectIfRedisNotReady: true,
      keyPrefix: `${config.REDIS_PREFIX}login-failures`,
      points: MAX_LOGIN_FAILURES,
      duration: FAILURE_WINDOW_SECONDS,
      insuranceLimiter: new RateLimiterMemory({
        points: MAX_LOGIN_FAILURES,
        duration: FAILURE_WINDOW_SECONDS,
      }),
    });
  }

  /** Seconds until `username` may try again, 0 when it may try now. */
  async secondsLocked(username: string): Promise<number> {
    const res = await this.failures.get(key(username)).catch(() => null);
    if (!res || res.consumedPoints < MAX_LOGIN_FAILURES) return 0;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }

  async failed(username: string): Promise<void> {
    await this.failures.penalty(key(username), 1).catch(() => undefined);
  }

  async succeeded(username: string): Promise<void> {
    await this.failures.delete(key(username)).catch(() => undefined);
  }
}

function key(username: string): string {
  return username.trim().toLowerCase();
}
