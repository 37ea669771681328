/**
 * lab-upload: one bulk lab file (100,000 rows by default) end to end through the real api and
 * worker: POST /api/v1/lab-uploads -> stored -> BullMQ job -> 2,000-row chunks committed with
 * their test.resulted events -> events published to the stream.
 *
 *   npm run bench:lab-upload -- [--rows 100000] [--format csv|json] [--bad 100] [--profile]
 *
 * Reports the time to accept the file (202), the time until the upload is completed (every
 * valid row committed with its event), the time until every event is in the stream, and rows/s
 * over the whole (from the first byte sent). The load average before and after says how busy
 * the shared machine was.
 *
 * The ceiling, measured in the same run: a raw COPY of the same valid rows into a scratch copy
 * of `lab_results` (same columns, indexes and checks), from this process. The headline is the
 * ratio of end-to-end rows/s to that COPY's rows/s.
 *
 * --profile attaches an inspector to the api and the worker and prints where their CPU went from
 * the POST until every event is in the stream (a diagnostic: it costs a few percent).
 */
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { readUploadRows } from '@frontline/lab-testing';
import { labUploadFile } from '../test/support/factories';
import { TestStack } from '../test/support/stack';
import { sleep } from '../test/support/wait';
import { assertKnown, numberArg, parseArgs } from './support/args';
import { InspectorProfiler } from './support/inspector-profile';
import { buildInfo, buildLine, machineInfo, machineLine, resultsDir, saveResult } from './support/machine';

const args = parseArgs();
assertKnown(args, ['rows', 'format', 'bad', 'profile']);
const PROFILE = args.get('profile') === 'true';
const ROWS = numberArg(args, 'rows', 100_000, 1);
const BAD = numberArg(args, 'bad', 100, 0);
const FORMAT = (args.get('format') ?? 'csv') as 'csv' | 'json';
if (FORMAT !== 'csv' && FORMAT !== 'json') throw new Error('--format: csv or json');

/** Raw COPY of the file's valid rows into a scratch copy of lab_results: rows and seconds. */
async function rawCopyCeiling(
  db: Client,
  file: string,
): Promise<{ rows: number; seconds: number }> {
  const lines: string[] = [];
  for (const row of readUploadRows(FORMAT, file)) {
    if (!('values' in row) || (row.values.method !== 'rt-pcr' && row.values.method !== 'antigen'))
      continue;
    const v = row.values as Record<string, string>;
    const at = v.resultedAt ?? v.collectedAt;
    lines.push(
      [
        randomUUID(),
        'QN-CDC',
        v.sampleId,
        v.unit,
        '{22,194}',
        v.method,
        v.result,
        v.collectedAt,
        at,
        randomUUID(),
        'lab.bench',
      ].join('\t'),
    );
  }
  const text = `${lines.join('\n')}\n`;
  await db.query('DROP TABLE IF EXISTS bench_lab_results_copy');
  await db.query('CREATE TABLE bench_lab_results_copy (LIKE lab_results INCLUDING ALL)');
  try {
    const t0 = performance.now();
    await pipeline(
      Readable.from(chunksOf(text, 1 << 16)),
      db.query(
        copyFrom(`COPY bench_lab_results_copy (id, lab_code, sample_id, unit_code, unit_path, method, result, collected_at,
                                              resulted_at, event_id, recorded_by) FROM STDIN`),
      ),
    );
    return { rows: lines.length, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await db.query('DROP TABLE bench_lab_results_copy');
  }
}

function* chunksOf(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function main(): Promise<void> {
  const stack = await new TestStack({
    processes: true,
    ...(PROFILE ? { env: { NODE_OPTIONS: '--inspect=127.0.0.1:0' } } : {}),
  }).start();
  const profilers: InspectorProfiler[] = [];
  if (PROFILE) {
    for (const [name, proc] of [['api', stack.apis[0]], ['worker', stack.worker]] as const) {
      const wsUrl = InspectorProfiler.urlFromOutput(proc.output);
      if (!wsUrl) throw new Error(`--profile: no inspector URL in the ${name}'s output`);
      profilers.push(await new InspectorProfiler(name).connect(wsUrl));
    }
  }
  try {
    await stack.createAccount('lab.bench', 'lab', '194');
    const machine = await machineInfo(stack.db, stack.redis);
    const badRows = Array.from({ length: BAD }, (_, i) => Math.floor(((i + 0.5) * ROWS) / BAD) + 1);
    const file = labUploadFile(ROWS, { format: FORMAT, badRows, prefix: 'BENCH' });
    const token = await stack.token('lab.bench');

    await Promise.all(profilers.map((p) => p.start()));
    const t0 = performance.now();
    const res = await fetch(`${stack.apiUrl}/api/v1/lab-uploads?lab=QN-CDC`, {
      method: 'POST',
      headers: {
        'content-type': FORMAT === 'csv' ? 'text/csv' : 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: file,
    });
    const accepted = performance.now() - t0;
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };

    let firstProgress: number | null = null;
    let status: {
      status: string;
      committed: number;
      errors: number;
      rowsDone: number;
      startedAt: string;
      finishedAt: string;
    };
    for (;;) {
      const r = await fetch(`${stack.apiUrl}/api/v1/lab-uploads/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      status = (await r.json()) as typeof status;
      if (firstProgress === null && status.rowsDone > 0) firstProgress = performance.now() - t0;
      if (status.status === 'completed' || status.status === 'failed') break;
      await sleep(100);
    }
    const completed = performance.now() - t0;
    if (status.status !== 'completed') throw new Error(`upload ${status.status}`);
    for (;;) {
      const unpublished = await stack.count(
        'SELECT count(*) FROM event_outbox',
      );
      if (unpublished === 0) break;
      await sleep(100);
    }
    const published = performance.now() - t0;
    for (const p of profilers) {
      const summary = await p.stop(`${resultsDir()}/lab-upload-${p.name}-${Date.now()}.cpuprofile`);
      console.log(`${p.name} CPU profile (${summary.seconds} s, thread busy ${summary.busyPct} %):`);
      console.log(`  by area: ${summary.byArea.slice(0, 12).map((a) => `${a.area} ${a.pct} %`).join(', ')}`);
      for (const f of summary.topFunctions.slice(0, 20)) console.log(`  ${String(f.pct).padStart(5)} %  ${f.fn}`);
    }
    const workerSeconds = (Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000;
    const ceiling = await rawCopyCeiling(stack.db, file);
    const copyRowsPerSecond = Math.round(ceiling.rows / ceiling.seconds);
    const rowsPerSecondEndToEnd = Math.round(ROWS / (published / 1000));
    const result = {
      machine,
      build: buildInfo(),
      rows: ROWS,
      format: FORMAT,
      bytes: Buffer.byteLength(file),
      committed: status.committed,
      errors: status.errors,
      acceptedMs: Math.round(accepted),
      firstProgressMs: firstProgress === null ? null : Math.round(firstProgress),
      completedS: Math.round(completed) / 1000,
      publishedS: Math.round(published) / 1000,
      workerS: workerSeconds,
      rowsPerSecondEndToEnd,
      rowsPerSecondWorker: Math.round(ROWS / workerSeconds),
      rawCopy: {
        rows: ceiling.rows,
        seconds: Math.round(ceiling.seconds * 1000) / 1000,
        rowsPerSecond: copyRowsPerSecond,
      },
      ratioToRawCopy: Math.round((rowsPerSecondEndToEnd / copyRowsPerSecond) * 1000) / 1000,
      loadAvgAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    console.log(
      `lab-upload: ${ROWS.toLocaleString('en')} rows (${FORMAT}, ${(result.bytes / 2 ** 20).toFixed(1)} MiB, ${BAD} bad)`,
    );
    console.log(
      `  ${machineLine(machine)}; load average at start ${machine.loadAvgAtStart.join(' ')}, at end ${result.loadAvgAtEnd.join(' ')}`,
    );
    console.log(`  ${buildLine(result.build)}`);
    console.log(
      `  accepted (202) after ${result.acceptedMs} ms; first progress after ${result.firstProgressMs} ms`,
    );
    console.log(
      `  completed after ${result.completedS} s (worker ${workerSeconds} s, ${result.rowsPerSecondWorker} rows/s)`,
    );
    console.log(
      `  every event in the stream after ${result.publishedS} s: ${result.rowsPerSecondEndToEnd} rows/s end to end`,
    );
    console.log(`  committed ${status.committed}, refused ${status.errors}`);
    console.log(
      `  raw COPY of the ${ceiling.rows} valid rows into a scratch lab_results: ${result.rawCopy.seconds} s, ${copyRowsPerSecond} rows/s`,
    );
    console.log(`  end to end / raw COPY: ${result.ratioToRawCopy} (target at least 0.40)`);
    console.log(`  raw result: ${saveResult('lab-upload', result)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
