/**
 * Outbreak scenarios (kịch bản): the province plans for 500, 1,000 and 5,000 F0. A scenario
 * fixes the size of one simulated wave and so the mix of the event stream: more F0 per
 * simulated day, more clusters and a higher screening positivity as it grows, while reports
 * and the screening floor grow more slowly than the cases. Figures are plausible, not data.
 */

export const SCENARIO_NAMES = ['default', '500', '1000', '5000'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface Scenario {
  name: ScenarioName;
  /** F0 in one simulated wave, over the whole province (or the units the run may use). */
  totalF0: number;
  /** Simulated days in one wave; the stream starts another wave after the last one. */
  days: number;
  /** Community clusters a wave tends to (new cases join existing clusters beyond that). */
  clusters: number;
  /** Share of positive screening tests (pooled or rapid antigen). */
  screeningPositivity: number;
  /** Share of positive first tests of F1 (their exit tests are positive a third as often). */
  f1Positivity: number;
  /** F1 traced per F0, uniform, both ends included. */
  f1PerF0: [number, number];
  /** Chance that an F1 has F2 (1 to 3) traced too. */
  f2Chance: number;
  /** Chance that a negative F1 gets a second (exit) test about a week later. */
  f1ExitTestChance: number;
  /** How new F0 that do not come from quarantine are found. */
  seedSources: { imported: number; screening: number; community: number };
  /** Screening tests per simulated day at least, whatever the outbreak. */
  screeningFloorPerDay: number;
  /** Urgent reports per simulated day: a base plus some per F0 of the day. */
  reportsPerDay: number;
  reportsPerF0: number;
}

const COMMON = {
  days: 30,
  f1PerF0: [10, 20] as [number, number],
  f2Chance: 0.08,
  f1ExitTestChance: 0.3,
  screeningFloorPerDay: 15,
};

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  /** A moderate wave, like Quảng Ninh's of early 2021 but busier. */
  default: {
    ...COMMON,
    name: 'default',
    totalF0: 200,
    clusters: 6,
    screeningPositivity: 0.015,
    f1Positivity: 0.05,
    seedSources: { imported: 0.15, screening: 0.45, community: 0.4 },
    reportsPerDay: 12,
    reportsPerF0: 0.5,
  },
  '500': {
    ...COMMON,
    name: '500',
    totalF0: 500,
    clusters: 10,
    screeningPositivity: 0.02,
    f1Positivity: 0.05,
    seedSources: { imported: 0.15, screening: 0.45, community: 0.4 },
    reportsPerDay: 15,
    reportsPerF0: 0.45,
  },
  '1000': {
    ...COMMON,
    name: '1000',
    totalF0: 1000,
    clusters: 18,
    screeningPositivity: 0.025,
    f1Positivity: 0.06,
    seedSources: { imported: 0.12, screening: 0.48, community: 0.4 },
    reportsPerDay: 20,
    reportsPerF0: 0.4,
  },
  '5000': {
    ...COMMON,
    name: '5000',
    totalF0: 5000,
    clusters: 45,
    screeningPositivity: 0.035,
    f1Positivity: 0.07,
    seedSources: { imported: 0.08, screening: 0.52, community: 0.4 },
    reportsPerDay: 40,
    reportsPerF0: 0.3,
  },
};

export function scenarioNamed(name: string | undefined): Scenario {
  const key = (name ?? 'default') as ScenarioName;
  const scenario = SCENARIOS[key];
  if (!scenario) throw new Error(`unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  return scenario;
}

/**
 * Expected F0 per simulated day of a wave: a rise and a slower fall (x^2 e^(-x/4.5), peak
 * around day 8), scaled so the days add up to the scenario's total.
 */
export function epidemicCurve(scenario: Scenario): number[] {
  const shape = Array.from(
    { length: scenario.days },
    (_, d) => (d + 1) ** 2 * Math.exp(-(d + 1) / 4.5),
  );
  const sum = shape.reduce((a, b) => a + b, 0);
  return shape.map((w) => (w / sum) * scenario.totalF0);
}
