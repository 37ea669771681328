/**
 * npm run geo:import -- FILE.geojson [--dry-run] [--source TEXT]
 *
 * Loads administrative units of any depth (provinces, districts, communes...) from a GeoJSON
 * FeatureCollection into admin_units, replacing approximate geometries. The file format is
 * described in libs/database/src/geo/unit-geojson.ts. All or nothing: a bad file changes
 * nothing and the command lists every problem. DATABASE_URL selects the database
 * (default postgres://postgres@127.0.0.1:5432/frontline).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createDataSource, GeoImportError, importUnits } from '@frontline/database';

const USAGE = 'usage: npm run geo:import -- FILE.geojson [--dry-run] [--source TEXT]';
const MAX_PROBLEMS_SHOWN = 100;

class UsageError extends Error {}

interface Args {
  file: string;
  dryRun: boolean;
  source?: string;
}

function parseArgs(argv: string[]): Args {
  let file: string | undefined;
  let dryRun = false;
  let source: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--source') {
      source = argv[++i];
      if (!source) throw new UsageError('--source needs a value');
    } else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (file) throw new UsageError(`one file at a time (got ${file} and ${arg})`);
    else file = arg;
  }
  if (!file) throw new UsageError('missing FILE.geojson');
  return { file, dryRun, source };
}

/** The file as JSON, or a GeoImportError saying why not. */
function readCollection(file: string): unknown {
  const path = resolve(file);
  if (!existsSync(path)) throw new GeoImportError([`${file}: no such file`]);
  if (statSync(path).isDirectory())
    throw new GeoImportError([`${file}: is a directory, not a GeoJSON file`]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new GeoImportError([`${file}: not valid JSON (${(err as Error).message})`]);
  }
  const type = (parsed as { type?: unknown } | null)?.type;
  if (type !== 'FeatureCollection') {
    const got = typeof type === 'string' ? `a ${type}` : 'no GeoJSON "type"';
    throw new GeoImportError([`${file}: expected a GeoJSON FeatureCollection, got ${got}`]);
  }
  return parsed;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) console.error(`geo:import: ${err.message}`);
    console.error(USAGE);
    return err.message ? 1 : 0;
  }

  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/frontline';
  try {
    const collection = readCollection(args.file);
    const dataSource = createDataSource(url, 2);
    try {
      await dataSource.initialize();
    } catch (err) {
      throw new GeoImportError([`cannot connect to ${redact(url)}: ${(err as Error).message}`]);
    }
    try {
      const summary = await importUnits(dataSource, collection, {
        source: args.source ?? `import: ${basename(args.file)}`,
        dryRun: args.dryRun,
      });
      const verb = args.dryRun ? 'would import (dry run, nothing written)' : 'imported';
      console.log(`${verb} ${args.file} into ${redact(url)}:`);
      console.log(`  inserted             ${summary.inserted}`);
      console.log(`  updated              ${summary.updated}`);
      console.log(`  unchanged            ${summary.unchanged}`);
      console.log(`  replaced approximate ${summary.replacedApproximate}`);
      console.log(`  descendants moved    ${summary.descendantsMoved}`);
      return 0;
    } finally {
      await dataSource.destroy();
    }
  } catch (err) {
    if (!(err instanceof GeoImportError)) throw err;
    const problems = err.problems.map((p) =>
      /relation "admin_units" does not exist/.test(p) ? `${p} (run npm run migrate first)` : p,
    );
    console.error(GeoImportError.describe(problems, MAX_PROBLEMS_SHOWN));
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`geo:import failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
