/**
 * When `npm run up` restarts a process that died, and when it gives up (plain Node, no packages).
 * A crash restarts after a delay that doubles with each crash of the window (0.5 s, 1 s, 2 s...,
 * at most `maxDelayMs`); more than `maxCrashes` crashes within `windowMs` is a crash loop (a bad
 * build, a broken configuration) that restarting will not fix.
 */
export class RestartPolicy {
  constructor({ maxCrashes = 5, windowMs = 60_000, firstDelayMs = 500, maxDelayMs = 8_000 } = {}) {
    this.maxCrashes = maxCrashes;
    this.windowMs = windowMs;
    this.firstDelayMs = firstDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.crashes = [];
  }

  /** Records a crash at `now`: the delay before restarting, or null to give up. */
  crashed(now = Date.now()) {
    this.crashes = this.crashes.filter((at) => now - at < this.windowMs);
    this.crashes.push(now);
    if (this.crashes.length > this.maxCrashes) return null;
    return Math.min(this.firstDelayMs * 2 ** (this.crashes.length - 1), this.maxDelayMs);
  }

  /** Crashes within the window so far (for the log line). */
  get recent() {
    return this.crashes.length;
  }
}

/** The policy of `npm run up`, from FRONTLINE_RESTART_MAX and FRONTLINE_RESTART_WINDOW_S. */
export function restartPolicyFromEnv(env = process.env) {
  return new RestartPolicy({
    maxCrashes: Number(env.FRONTLINE_RESTART_MAX || 5),
    windowMs: Number(env.FRONTLINE_RESTART_WINDOW_S || 60) * 1000,
  });
}
