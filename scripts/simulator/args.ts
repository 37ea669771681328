import { parseArgs } from 'node:util';
import { MAX_EVENTS_PER_BATCH } from '@frontline/contracts';
import { SCENARIO_NAMES, Scenario, scenarioNamed } from '@frontline/simulation';

export const DEFAULT_SEED = 2021;

export const USAGE = `usage: npm run simulate -- [options]

Drives realistic, seeded traffic through the public API (POST /api/v1/events).

  --rate R          events per second, overall (default 50)
  --duration S      seconds to run (default 60)
  --scenario N      outbreak size: ${SCENARIO_NAMES.filter((n) => n !== 'default').join(', ')} F0 (default: a moderate wave of 200)
  --seed N          seed of the generator; same seed, same events and ids (default ${DEFAULT_SEED})
  --api URL         API base (default $FRONTLINE_API_URL or http://localhost:3000)
  --user NAME       account to log in with (default province.duty)
  --password PW     default $FRONTLINE_DEMO_PASSWORD or frontline-demo
  --batch N         at most N events per request (1..${MAX_EVENTS_PER_BATCH}, default 500)
  --concurrency N   at most N requests in flight (default 8)
  --tick MS         how often the pacer sends what the rate allows (default 150)
  --drill           mark every event drill: true with an exerciseId (drills never move real counters)
  --exercise ID     exerciseId for --drill (default sim-<seed>)
  --units CODES     only these district codes, comma-separated (default: every district you may see)
  --start ISO       occurredAt of the first event (default: now); pins occurredAt for reruns
  --progress S      seconds between progress lines (default 3)
  --retries N       attempts per request on network errors / 5xx / 409 before giving up (default 10)
  --dry-run         generate without sending: print the first events, the mix and checksums
  --count N         with --dry-run: how many events (default rate x duration)
  --print N         with --dry-run: how many events to print as JSON lines (default 3)
  -h, --help

Exit codes: 0 done; 1 bad options or the API refused a request (4xx: a bug, details printed);
2 the API stayed unreachable; 130 interrupted (a summary is printed first).
Events are idempotent by id: re-running a seed against the same database adds nothing new.`;

export class UsageError extends Error {}
/** The run cannot start as asked (account, units): exit 1 without the usage text. */
export class SetupError extends Error {}

export interface SimulateArgs {
  rate: number;
  durationS: number;
  scenario: Scenario;
  seed: number;
  api: string;
  user: string;
  password: string;
  batch: number;
  concurrency: number;
  tickMs: number;
  drill?: { exerciseId: string };
  units?: string[];
  startMs?: number;
  progressS: number;
  retries: number;
  dryRun: boolean;
  count?: number;
  print: number;
  help: boolean;
}

function number(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  integer = true,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${raw}")`,
    );
  }
  return value;
}

export function parseSimulateArgs(argv: string[], env: NodeJS.ProcessEnv): SimulateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        duration: { type: 'string' },
        scenario: { type: 'string' },
        seed: { type: 'string' },
        api: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        batch: { type: 'string' },
        concurrency: { type: 'string' },
        tick: { type: 'string' },
        drill: { type: 'boolean' },
        exercise: { type: 'string' },
        units: { type: 'string' },
        start: { type: 'string' },
        progress: { type: 'string' },
        retries: { type: 'string' },
        'dry-run': { type: 'boolean' },
        count: { type: 'string' },
        print: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;

  let scenario: Scenario;
  try {
    scenario = scenarioNamed(v.scenario);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const seed = number('seed', v.seed, DEFAULT_SEED, 0, 2 ** 32 - 1);
  if (v.exercise !== undefined && !v.drill)
    throw new UsageError('--exercise only goes with --drill');
  const exerciseId = v.exercise ?? `sim-${seed}`;
  if (!/^.{1,64}$/.test(exerciseId)) throw new UsageError('--exercise: 1 to 64 characters');

  let startMs: number | undefined;
  if (v.start !== undefined) {
    startMs = Date.parse(v.start);
    if (Number.isNaN(startMs)) throw new UsageError(`--start: not a date-time: "${v.start}"`);
  }
  const units = v.units
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (units && !units.length) throw new UsageError('--units: give at least one code');

  const api = (v.api ?? env.FRONTLINE_API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  try {
    new URL(api);
  } catch {
    throw new UsageError(`--api: not a URL: "${api}"`);
  }

  return {
    rate: number('rate', v.rate, 50, 0.01, 1_000_000, false),
    durationS: number('duration', v.duration, 60, 0.1, 30 * 86_400, false),
    scenario,
    seed,
    api,
    user: v.user ?? 'province.duty',
    password: v.password ?? env.FRONTLINE_DEMO_PASSWORD ?? 'frontline-demo',
    batch: number('batch', v.batch, 500, 1, MAX_EVENTS_PER_BATCH),
    concurrency: number('concurrency', v.concurrency, 8, 1, 256),
    tickMs: number('tick', v.tick, 150, 10, 5000),
    ...(v.drill ? { drill: { exerciseId } } : {}),
    ...(units ? { units } : {}),
    ...(startMs !== undefined ? { startMs } : {}),
    progressS: number('progress', v.progress, 3, 0.5, 3600, false),
    retries: number('retries', v.retries, 10, 0, 1000),
    dryRun: Boolean(v['dry-run']),
    ...(v.count !== undefined ? { count: number('count', v.count, 0, 1, 100_000_000) } : {}),
    print: number('print', v.print, 3, 0, 1_000_000),
    help: Boolean(v.help),
  };
}
