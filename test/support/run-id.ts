/** Set by the e2e global setup: one id per `jest` run (plain module: no path aliases here). */
export const TEST_RUN_ENV = 'FRONTLINE_TEST_RUN';

/** The run's template database (migrated and seeded once, copied by every TestStack). */
export function templateDbName(run: string): string {
  return `fl_test_tpl_${run}`;
}
