// The dependency rules of the architecture (docs: ../shared/docs/architecture.md, "Dependency
// rules"), as ESLint configuration blocks. Imported by eslint.config.mjs; `npm run lint` fails
// on any import that breaks them.
import path from 'node:path';
import globals from 'globals';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** `apps/<name>` or `libs/<name>` for a file inside one of them, otherwise null (test, bench, scripts). */
function workspacePackageOf(file) {
  const [top, name] = path.relative(repoRoot, file).split(path.sep);
  return (top === 'apps' || top === 'libs') && name ? `${top}/${name}` : null;
}

/**
 * A relative import may not cross into or out of an app or a lib: libs are reached through
 * their `@frontline/<lib>` alias (their public entry), and apps have none, so the api and the
 * worker cannot import each other.
 */
const noRelativeCrossPackage = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative imports that cross an app or lib boundary' },
    messages: {
      intoLib: "'{{source}}' reaches from {{from}} into {{to}} by a relative path: import the lib through its @frontline alias.",
      intoApp: "'{{source}}' reaches from {{from}} into {{to}}: apps never import each other (nor do libs import apps); share it through libs/.",
      outOfPackage: "'{{source}}' reaches out of {{from}} by a relative path: an app or lib depends only on packages and @frontline libs.",
    },
    schema: [],
  },
  create(context) {
    const from = workspacePackageOf(context.filename);
    const check = (node) => {
      const source = node?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = workspacePackageOf(path.resolve(path.dirname(context.filename), source));
      if (to === from) return;
      const messageId = to === null ? 'outOfPackage' : to.startsWith('libs/') ? 'intoLib' : 'intoApp';
      context.report({ node, messageId, data: { source, from: from ?? 'the tests and scripts', to } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

const workspacePlugin = { rules: { 'no-relative-cross-package': noRelativeCrossPackage } };

// Each restriction is one rule of the architecture, with the message a reader sees.
const infrastructureClients = {
  paths: ['ioredis', 'bullmq', 'socket.io', '@nestjs/websockets', '@nestjs/platform-socket.io'].map((name) => ({
    name,
    message:
      'Redis, BullMQ and Socket.IO are reached through their libs: @frontline/spine (REDIS, Redis), @frontline/queue (Queue, Job) and the live module (LiveService).',
  })),
};
const consoleBackendSide = {
  patterns: [
    { group: ['@frontline/*', '!@frontline/contracts'], message: 'The console imports only @frontline/contracts from the backend side.' },
    { group: ['@nestjs/*', 'typeorm', 'pg', 'express'], message: 'The console runs in the browser: no server packages.' },
  ],
};
const contractsArePlainZod = {
  patterns: [
    {
      regex: '^(?!zod$|\\.\\.?/)',
      message: 'libs/contracts is plain zod and TypeScript: it imports only zod and its own files (no Nest, Node, browser or other lib).',
    },
  ],
};

/** Merges restrictions into one `no-restricted-imports` entry (a later block replaces, never adds). */
function restrictImports(...restrictions) {
  return [
    'error',
    {
      paths: restrictions.flatMap((r) => r.paths ?? []),
      patterns: restrictions.flatMap((r) => r.patterns ?? []),
    },
  ];
}

/** Globals that exist in only one of Node and the browser: contracts must run in both. */
const environmentOnlyGlobals = Object.keys({ ...globals.node, ...globals.browser })
  .filter((name) => !(name in globals.node && name in globals.browser))
  .filter((name) => !(name in globals.es2021))
  .map((name) => ({ name, message: 'libs/contracts runs in Node and in the browser: no environment-specific globals.' }));

export const workspaceBoundaries = [
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { workspace: workspacePlugin },
    rules: { 'workspace/no-relative-cross-package': 'error' },
  },
  {
    // The benchmark times the api's own tracing query in isolation; apps have no alias to reach it by.
    files: ['bench/tracing.bench.ts'],
    rules: { 'workspace/no-relative-cross-package': 'off' },
  },
  {
    // The in-process test stack boots the api's and the worker's root modules, as their entry points do.
    files: ['test/support/in-process.ts'],
    rules: { 'workspace/no-relative-cross-package': 'off' },
  },
  {
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictImports(contractsArePlainZod),
      'no-restricted-globals': ['error', ...environmentOnlyGlobals],
    },
  },
  {
    files: ['apps/console/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrictImports(consoleBackendSide, infrastructureClients) },
  },
  {
    // Feature modules of api, worker and libs; the clients' own plumbing is exempt.
    files: ['apps/api/**/*.ts', 'apps/worker/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/api/src/live/**', 'libs/spine/**', 'libs/queue/**', 'libs/contracts/**'],
    rules: { 'no-restricted-imports': restrictImports(infrastructureClients) },
  },
];

