import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The workspace's rules are enforced by `npm run lint`: these specs run ESLint (the repo's own
 * flat config) on source text placed at chosen paths, and read the alias table.
 */
const repoRoot = path.resolve(__dirname, '..');
const ioredisFixture = readFileSync(path.join(__dirname, 'fixtures/lint/imports-ioredis.ts'), 'utf8');
const boundaryRules = ['no-restricted-imports', 'no-restricted-globals', 'workspace/no-relative-cross-package', 'no-restricted-syntax'];

/**
 * Lints every sample with the repo's ESLint config in one run of its own process (ESLint loads
 * its flat config with a dynamic import, which Jest's module sandbox does not allow). Only the
 * boundary rules run, and they need no type information, so the samples are parsed without a
 * TypeScript program (which would also require them to exist on disk).
 */
function lintSamples(samples: { filePath: string; code: string }[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const rules = new Set(${JSON.stringify(boundaryRules)});
    const samples = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const eslint = new ESLint({
      ruleFilter: ({ ruleId }) => rules.has(ruleId),
      overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    });
    (async () => {
      const out = [];
      for (const { filePath, code } of samples) {
        const [result] = await eslint.lintText(code, { filePath });
        out.push(result.messages.map((m) => (m.fatal ? 'fatal: ' : m.ruleId + ': ') + m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const input = JSON.stringify(samples.map((s) => ({ ...s, filePath: path.join(repoRoot, s.filePath) })));
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: repoRoot, input, encoding: 'utf8' })) as string[][];
}

describe('workspace dependency rules (npm run lint)', () => {
  const socketServer = "import type { Server } from 'socket.io';\nexport type S = Server;\n";
  const runsSql = [
    'interface Db { query(sql: string, params: unknown[]): Promise<unknown> }',
    "export const count = (db: Db) => db.query('SELECT count(*) FROM cases WHERE unit_code = $1', ['22']);",
    '',
  ].join('\n');
  const samples = {
    apiImportsIoredis: { filePath: 'apps/api/src/cases/uses-ioredis.ts', code: ioredisFixture },
    spineImportsIoredis: { filePath: 'libs/spine/src/uses-ioredis.ts', code: ioredisFixture },
    workerImportsBullmq: {
      filePath: 'apps/worker/src/escalation/uses-bullmq.ts',
      code: "import { Queue } from 'bullmq';\nexport { Queue };\n",
    },
    featureImportsSocketIo: { filePath: 'apps/api/src/zones/uses-socket.ts', code: socketServer },
    liveImportsSocketIo: { filePath: 'apps/api/src/live/uses-socket.ts', code: socketServer },
    consoleImportsSpine: {
      filePath: 'apps/console/src/uses-spine.ts',
      code: "import { STREAM_KEYS } from '@frontline/spine';\nimport { z } from '@frontline/contracts';\nexport { STREAM_KEYS, z };\n",
    },
    contractsImportNestAndNode: {
      filePath: 'libs/contracts/src/uses-node.ts',
      code: [
        "import { Injectable } from '@nestjs/common';",
        "import { randomUUID } from 'node:crypto';",
        "import { z } from 'zod';",
        "import { eventSchema } from './events';",
        'export const id = (): string => randomUUID() + String(window.location) + String(Injectable) + String(z) + String(eventSchema);',
        '',
      ].join('\n'),
    },
    apiImportsWorker: {
      filePath: 'apps/api/src/cases/uses-worker.ts',
      code: "import { WorkerModule } from '../../../worker/src/worker.module';\nexport { WorkerModule };\n",
    },
    appReachesIntoLib: {
      filePath: 'apps/api/src/roster/uses-lib.ts',
      code: "import { expandShifts } from '../../../../libs/roster/src';\nexport { expandShifts };\n",
    },
    libReachesIntoLib: {
      filePath: 'libs/roster-ops/src/uses-lib.ts',
      code: "import { expandShifts } from '../../roster/src';\nexport { expandShifts };\n",
    },
    siblingFeature: {
      filePath: 'apps/api/src/tracing/uses-sibling.ts',
      code: "import { CasesService } from '../cases/cases.service';\nexport { CasesService };\n",
    },
    serviceRunsSql: { filePath: 'apps/api/src/cases/counts.service.ts', code: runsSql },
    consumerRunsSql: { filePath: 'apps/worker/src/projector/counts.consumer.ts', code: runsSql },
    libServiceRunsSql: { filePath: 'libs/audit/src/counts.service.ts', code: runsSql },
    repositoryRunsSql: { filePath: 'apps/api/src/cases/counts.repository.ts', code: runsSql },
    appHelperRunsSql: { filePath: 'apps/worker/src/case-rules/counts.ts', code: runsSql },
    projectorRunsSql: { filePath: 'apps/worker/src/projector/counts.projector.ts', code: runsSql },
    libLoaderRunsSql: { filePath: 'libs/roster-ops/src/counts-loader.ts', code: runsSql },
  };
  let found: Record<keyof typeof samples, string[]>;

  beforeAll(() => {
    const names = Object.keys(samples) as (keyof typeof samples)[];
    const results = lintSamples(names.map((name) => samples[name]));
    found = Object.fromEntries(names.map((name, i) => [name, results[i]])) as typeof found;
  });

  it('rejects a feature module of the api that imports ioredis', () => {
    expect(found.apiImportsIoredis).toEqual([expect.stringMatching(/^no-restricted-imports: 'ioredis' import is restricted/)]);
  });

  it('accepts the same import inside the spine, which owns the Redis client', () => {
    expect(found.spineImportsIoredis).toEqual([]);
  });

  it('rejects bullmq and socket.io outside their libs and the live module', () => {
    expect(found.workerImportsBullmq).toEqual([expect.stringMatching(/'bullmq' import is restricted/)]);
    expect(found.featureImportsSocketIo).toEqual([expect.stringMatching(/'socket.io' import is restricted/)]);
    expect(found.liveImportsSocketIo).toEqual([]);
  });

  it('lets the console import only the contracts from the backend side', () => {
    expect(found.consoleImportsSpine).toEqual([
      expect.stringMatching(/'@frontline\/spine' import is restricted.*only @frontline\/contracts/),
    ]);
  });

  it('keeps the contracts free of Nest, Node and the browser', () => {
    expect(found.contractsImportNestAndNode).toEqual([
      expect.stringMatching(/^no-restricted-imports: '@nestjs\/common' import is restricted/),
      expect.stringMatching(/^no-restricted-imports: 'node:crypto' import is restricted/),
      expect.stringMatching(/^no-restricted-globals: Unexpected use of 'window'/),
    ]);
  });

  it('rejects relative imports across apps and libs, and the api importing the worker', () => {
    expect(found.apiImportsWorker).toEqual([
      expect.stringMatching(/^workspace\/no-relative-cross-package: .*from apps\/api into apps\/worker: apps never import each other/),
    ]);
    expect(found.appReachesIntoLib).toEqual([expect.stringMatching(/from apps\/api into libs\/roster by a relative path/)]);
    expect(found.libReachesIntoLib).toEqual([expect.stringMatching(/from libs\/roster-ops into libs\/roster/)]);
    expect(found.siblingFeature).toEqual([]);
  });

  it('keeps SQL in repositories: not in the apps\' services, consumers or helpers, nor in the libs\' services (decision 0027)', () => {
    const refused = [expect.stringMatching(/^no-restricted-syntax: SQL belongs in a \*\.repository\.ts/)];
    expect(found.serviceRunsSql).toEqual(refused);
    expect(found.consumerRunsSql).toEqual(refused);
    expect(found.appHelperRunsSql).toEqual(refused);
    expect(found.libServiceRunsSql).toEqual(refused);
    expect(found.repositoryRunsSql).toEqual([]);
    expect(found.projectorRunsSql).toEqual([]);
    expect(found.libLoaderRunsSql).toEqual([]);
  });
});

describe('workspace aliases', () => {
  const { config } = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const paths = config.compilerOptions.paths as Record<string, string[]>;

  it('has one @frontline/<lib> alias for every lib, pointing at its public entry', () => {
    const libs = readdirSync(path.join(repoRoot, 'libs'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    for (const lib of libs) expect(paths[`@frontline/${lib}`]).toEqual([`libs/${lib}/src`]);
  });

  it('gives Jest the same table', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jestConfig = require('../jest.config.js') as { projects: { moduleNameMapper: Record<string, string> }[] };
    for (const project of jestConfig.projects) {
      for (const [alias, [target]] of Object.entries(paths)) {
        const pattern = Object.keys(project.moduleNameMapper).find((key) => new RegExp(key).test(alias));
        expect(pattern && project.moduleNameMapper[pattern]).toBe(`<rootDir>/${target}`);
      }
    }
  });
});
