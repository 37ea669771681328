#!/usr/bin/env node
/**
 * `npm test`'s pretest: makes sure everything the tests talk to is there, quickly when it is.
 *   1. npm dependencies (npm ci when node_modules is missing or behind package-lock.json)
 *   2. PostgreSQL with PostGIS at DATABASE_URL (default: the local server; started or
 *      installed when needed), and its database
 *   3. Redis at REDIS_URL (default: the local server; started or installed when needed)
 *   4. Chromium for the browser tests (apt as root on Debian; FRONTLINE_SKIP_BROWSER=1 skips)
 *   5. the api, worker and console builds that e2e and browser tests use (skipped when up to date)
 *
 * Flags (environment): FRONTLINE_SKIP_INSTALL=1, FRONTLINE_SKIP_BROWSER=1,
 * FRONTLINE_SKIP_BUILD=1, FRONTLINE_FORCE_BUILD=1, FRONTLINE_NO_APT=1, FRONTLINE_NO_DOCKER=1.
 * Plain Node (no npm packages): it runs before `npm ci`.
 */
import {
  ROOT,
  Steps,
  buildStale,
  buildTargets,
  ensureChromium,
  ensureNodeModules,
  ensurePostgres,
  ensureRedis,
  loadDotEnv,
  runMain,
  style,
} from './lib/provision.mjs';

const steps = new Steps('ensure-deps');

runMain(async () => {
  loadDotEnv(ROOT);
  await steps.step('npm dependencies', () => ensureNodeModules(ROOT, steps));
  await steps.step('PostgreSQL + PostGIS', () =>
    ensurePostgres(ROOT, steps, { createDatabase: false }),
  );
  await steps.step('Redis', () => ensureRedis(ROOT, steps));
  await steps.step('Chromium', () => ensureChromium(steps));
  await steps.step('api, worker and console build', () => buildStale(ROOT, steps, buildTargets(ROOT, { withConsole: true })));
  steps.log(style.green(`ready for tests (${steps.total()})`));
});
