/**
 * npm run simulate -- --rate R --duration S [--scenario 500|1000|5000] [--seed N] [--drill] ...
 *
 * Drives realistic traffic through the public API: F0 clusters at Quảng Ninh's hotspots,
 * 10-20 F1 near each case, test results with a plausible positivity, urgent reports. The
 * generator (libs/simulation) is pure and seeded: the same seed gives the same events and
 * ids, so a run can be repeated (and re-sent: the API is idempotent by event id). This file
 * wires it to the HTTP driver (scripts/simulator). `--help` lists every option.
 */
import { OutbreakSimulation } from '@frontline/simulation';
import { parseSimulateArgs, SetupError, SimulateArgs, UsageError, USAGE } from './simulator/args';
import { ApiClient, RejectedError, UnauthorizedError } from './simulator/client';
import { dryRun } from './simulator/dry-run';
import { TrafficDriver } from './simulator/driver';
import { n } from './simulator/format';
import { printSummary } from './simulator/summary';
import { loadSeedUnits, selectUnits } from './simulator/units';

/** Roles that may submit every event type the simulator sends (event-permissions.ts). */
const ROLES_THAT_MAY_SUBMIT_ALL = ['admin', 'commander', 'duty-officer'];

const EXIT = { done: 0, rejected: 1, unreachable: 2, interrupted: 130 } as const;

async function main(): Promise<number> {
  const args = parseSimulateArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const seedUnits = loadSeedUnits();
  const startMs = args.startMs ?? Date.now();

  if (args.dryRun) {
    const units = selectUnits(seedUnits, null, args.units);
    const sim = simulation(args, units, startMs);
    const result = dryRun(
      sim,
      args.count ?? Math.max(1, Math.round(args.rate * args.durationS)),
      args.print,
    );
    return result.invalid ? 1 : 0;
  }

  const client = new ApiClient(args.api);
  const login = async () => {
    await client.login(args.user, args.password);
  };
  const session = await client.login(args.user, args.password);
  if (!ROLES_THAT_MAY_SUBMIT_ALL.includes(session.user.role)) {
    throw new SetupError(
      `${args.user} is a ${session.user.role}: the simulator sends every event type and needs a ` +
        `duty-officer, commander or admin account`,
    );
  }
  const visible = new Set((await client.units()).map((u) => u.code));
  const units = selectUnits(seedUnits, visible, args.units);
  const sim = simulation(args, units, startMs);

  console.log(
    `simulate: ${args.api} as ${args.user} (${session.user.role}, ${session.user.unit.name}); ` +
      `${n(args.rate)} events/s for ${args.durationS} s; scenario ${args.scenario.name} ` +
      `(${n(args.scenario.totalF0)} F0 a wave over ${args.scenario.days} days); seed ${args.seed}; ` +
      `${units.length} of ${seedUnits.length} districts; batch <= ${args.batch}, <= ${args.concurrency} in flight` +
      (args.drill ? `; DRILL exerciseId ${args.drill.exerciseId}` : ''),
  );

  const driver = new TrafficDriver(
    {
      rate: args.rate,
      durationS: args.durationS,
      batch: args.batch,
      concurrency: args.concurrency,
      tickMs: args.tickMs,
      progressS: args.progressS,
      retries: args.retries,
    },
    client,
    sim,
    login,
    () => `wave ${sim.stats.wave} day ${sim.stats.day}`,
  );
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    console.log('\ninterrupted: finishing the requests in flight (Ctrl-C again to quit now)');
    driver.interrupt();
  });

  const result = await driver.run();
  const sameStream = [
    ` --seed ${args.seed}`,
    args.scenario.name !== 'default' ? ` --scenario ${args.scenario.name}` : '',
    units.length < seedUnits.length ? ` --units ${units.map((u) => u.code).join(',')}` : '',
    args.drill ? ` --drill --exercise ${args.drill.exerciseId}` : '',
  ].join('');
  printSummary(result, sim.stats, { rate: args.rate, durationS: args.durationS }, sameStream);
  return EXIT[result.outcome];
}

function simulation(
  args: SimulateArgs,
  units: ReturnType<typeof selectUnits>,
  startMs: number,
): OutbreakSimulation {
  return new OutbreakSimulation({
    seed: args.seed,
    scenario: args.scenario,
    units,
    startMs,
    eventsPerSecond: args.rate,
    ...(args.drill ? { drill: args.drill } : {}),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
    } else if (err instanceof RejectedError) {
      const details = typeof err.body === 'string' ? [] : (err.body.details ?? []);
      console.error(
        `simulate: ${err.message}${details.map((d) => `\n  ${d.path}: ${d.message}`).join('')}`,
      );
    } else {
      console.error(`simulate: ${err instanceof Error ? err.message : String(err)}`);
    }
    const ours = [UsageError, SetupError, RejectedError, UnauthorizedError].some(
      (kind) => err instanceof kind,
    );
    process.exitCode = ours ? 1 : 2;
  },
);
