import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@frontline/time';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/**
 * Seconds per task priority, e.g. `critical=300,high=900,normal=1800,low=3600`: every priority
 * must be given once, each value a whole number of seconds (at least 1).
 */
const priorityDeadlines = z.string().transform((text, ctx) => {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    const seconds = Number(value);
    if (!['critical', 'high', 'normal', 'low'].includes(key) || !Number.isInteger(seconds) || seconds < 1 || key in out) {
      ctx.addIssue({ code: 'custom', message: `"${part}": expected priority=seconds (critical, high, normal, low)` });
      return z.NEVER;
    }
    out[key] = seconds;
  }
  if (Object.keys(out).length !== 4) {
    ctx.addIssue({ code: 'custom', message: 'give critical, high, normal and low' });
    return z.NEVER;
  }
  return out as Record<'critical' | 'high' | 'normal' | 'low', number>;
});

/** Every environment variable Frontline reads. `.env.example` documents each one. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  WORKER_HEALTH_PORT: port.default(3001),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/frontline'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'letters, digits and _ : . - only')
    .default('fl:'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Access token lifetime; a live socket is closed when its token expires (tests use a few seconds). */
  JWT_TTL_SECONDS: z.coerce.number().int().min(2).default(12 * 3600),
  /** How often each api instance checks that its live sockets' accounts still stand (disabled, role changed). */
  LIVE_ACCOUNT_CHECK_MS: z.coerce.number().int().min(100).default(2000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** IANA time zone of the deployment: rosters, calendar feeds, the duty page and the console follow it. */
  FRONTLINE_TIMEZONE: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .refine(isTimeZone, 'an IANA time zone name, e.g. Asia/Ho_Chi_Minh'),
  /** A MapLibre style for a real basemap; unset: the console draws its offline style. */
  FRONTLINE_BASEMAP_STYLE_URL: z.url({ protocol: /^https?$/ }).optional(),
  FRONTLINE_DEMO_PASSWORD: z.string().min(8).default('frontline-demo'),
  STREAM_MAXLEN: z.coerce.number().int().min(1000).default(1_000_000),
  /** Live pushes are at least this far apart; an event arriving after a quiet spell goes out at once. */
  LIVE_BATCH_MS: z.coerce.number().int().min(10).max(2000).default(25),
  LIVE_BACKFILL_MAX: z.coerce.number().int().min(100).default(50_000),
  WORKER_ID: z.string().min(1).optional(),
  WORKER_CLAIM_IDLE_MS: z.coerce.number().int().min(100).default(30_000),
  RELAY_GRACE_MS: z.coerce.number().int().min(0).default(2000),
  /** Worker: how often the roster check (coverage gaps, missed check-ins) runs; 0 turns it off. */
  ROSTER_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 100, 'must be 0 (off) or at least 100')
    .default(5 * 60_000),
  /** Seconds a task of each priority has to be acknowledged; each escalation level waits as long again. */
  DISPATCH_ACK_DEADLINES: priorityDeadlines.default({ critical: 300, high: 900, normal: 1800, low: 3600 }),
  /** Seconds a task of each priority has to be done. */
  DISPATCH_FINISH_DEADLINES: priorityDeadlines.default({ critical: 7200, high: 14_400, normal: 43_200, low: 86_400 }),
  /**
   * Worker: how often the escalation sweep re-adds deadline jobs missing from Redis (a task created
   * while Redis was down, or Redis lost its data); 0 turns it off.
   */
  ESCALATION_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 100, 'must be 0 (off) or at least 100')
    .default(60_000),
  /** Worker: how often the screening check raises screening.due / .overdue; 0 turns it off. */
  SCREENING_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 100, 'must be 0 (off) or at least 100')
    .default(5 * 60_000),
  /** Days of monitoring per classification (a contact is released after them with a negative exit test). */
  CASE_MONITORING_DAYS_F0: z.coerce.number().int().min(1).max(60).default(21),
  CASE_MONITORING_DAYS_F1: z.coerce.number().int().min(1).max(60).default(14),
  CASE_MONITORING_DAYS_F2: z.coerce.number().int().min(1).max(60).default(14),
  CASE_MONITORING_DAYS_SUSPECTED: z.coerce.number().int().min(1).max(60).default(14),
  /** A positive RT-PCR for a known person confirms the F0 at once instead of proposing it. */
  CASE_AUTO_CONFIRM_RTPCR: bool.default(false),
  /** Connected components of the tracing graph from this many cases are clusters. */
  CLUSTER_MIN_SIZE: z.coerce.number().int().min(2).max(10_000).default(5),
  /** Worker: how often contacts at the end of monitoring are checked for release; 0 turns it off. */
  CASE_RELEASE_CHECK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((ms) => ms === 0 || ms >= 1000, 'must be 0 (off) or at least 1000')
    .default(15 * 60_000),
  CONSOLE_DIST: z.string().default('apps/console/dist'),
  TRUST_PROXY: bool.default(false),
  /** When set, `/metrics` (api and worker) answers only `Authorization: Bearer <token>`; unset, anyone who reaches it may scrape. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; throws a ConfigError naming every bad or missing variable. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}
