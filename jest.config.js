// Three projects: unit specs beside the code (api, worker, libs; the console's pure modules),
// and cross-process e2e tests under test/.
const ts = require('typescript');
const { pathsToModuleNameMapper } = require('ts-jest');

// The workspace aliases (@frontline/<lib>) are declared once, in tsconfig.json's paths.
const { config: tsconfig } = ts.readConfigFile(`${__dirname}/tsconfig.json`, ts.sys.readFile);
const moduleNameMapper = pathsToModuleNameMapper(tsconfig.compilerOptions.paths, { prefix: '<rootDir>/' });
// @nestjs/bullmq and @nestjs/bull-shared ship ES modules only (Node loads them with require(esm),
// Jest cannot): they are turned into CommonJS like our own sources.
const ESM_ONLY = '@nestjs/(bullmq|bull-shared)';
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  [`node_modules/${ESM_ONLY}/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true, module: 'commonjs' } }],
};
const transformIgnorePatterns = [`/node_modules/(?!${ESM_ONLY}/)`];
module.exports = {
  testTimeout: 120000,
  // Jest's default on 2 cores is one worker. e2e files spend most of their time waiting on
  // PostgreSQL, Redis, timers and the browser, so two overlap those waits.
  maxWorkers: 2,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/apps/api/src', '<rootDir>/apps/worker/src', '<rootDir>/libs'],
      testMatch: ['**/*.spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      // Pure modules of the console (no DOM): the map's point store, time formatting.
      displayName: 'console',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/apps/console/src'],
      testMatch: ['**/*.spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
