/**
 * lab-upload: one bulk lab file (100,000 rows by default) end to end through the real api and
 * worker: POST /api/v1/lab-uploads -> stored -> BullMQ job -> 2,000-row chunks committed with
 * their test.resulted events -> events published to the stream.
 *
 *   npm run bench:lab-upload -- [--rows 100000] [--format csv|json] [--bad 100]
 *
 * Reports the time to accept the file (202), the time until the upload is completed (every
 * valid row committed with its event), the time until every event is in the stream, and rows/s
 * over the whole (from the first byte sent). The load average before and after says how busy
 * the shared machine was.
 */
import os from 'node:os';
import { labUploadFile } from '../test/support/factories';
import { TestStack } from '../test/support/stack';
import { sleep } from '../test/support/wait';
import { assertKnown, numberArg, parseArgs } from './support/args';
import { buildInfo, buildLine, machineInfo, machineLine, saveResult } from './support/machine';

const args = parseArgs();
assertKnown(args, ['rows', 'format', 'bad']);
const ROWS = numberArg(args, 'rows', 100_000, 1);
const BAD = numberArg(args, 'bad', 100, 0);
const FORMAT = (args.get('format') ?? 'csv') as 'csv' | 'json';
if (FORMAT !== 'csv' && FORMAT !== 'json') throw new Error('--format: csv or json');

async function main(): Promise<void> {
  const stack = await new TestStack({ processes: true }).start();
  try {
    await stack.createAccount('lab.bench', 'lab', '194');
    const machine = await machineInfo(stack.db, stack.redis);
    const badRows = Array.from({ length: BAD }, (_, i) => Math.floor(((i + 0.5) * ROWS) / BAD) + 1);
    const file = labUploadFile(ROWS, { format: FORMAT, badRows, prefix: 'BENCH' });
    const token = await stack.token('lab.bench');

    const t0 = performance.now();
    const res = await fetch(`${stack.apiUrl}/api/v1/lab-uploads?lab=QN-CDC`, {
      method: 'POST',
      headers: { 'content-type': FORMAT === 'csv' ? 'text/csv' : 'application/json', authorization: `Bearer ${token}` },
      body: file,
    });
    const accepted = performance.now() - t0;
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };

    let firstProgress: number | null = null;
    let status: { status: string; committed: number; errors: number; rowsDone: number; startedAt: string; finishedAt: string };
    for (;;) {
      const r = await fetch(`${stack.apiUrl}/api/v1/lab-uploads/${id}`, { headers: { authorization: `Bearer ${token}` } });
      status = (await r.json()) as typeof status;
      if (firstProgress === null && status.rowsDone > 0) firstProgress = performance.now() - t0;
      if (status.status === 'completed' || status.status === 'failed') break;
      await sleep(100);
    }
    const completed = performance.now() - t0;
    if (status.status !== 'completed') throw new Error(`upload ${status.status}`);
    for (;;) {
      const unpublished = await stack.count('SELECT count(*) FROM event_log WHERE published_at IS NULL');
      if (unpublished === 0) break;
      await sleep(100);
    }
    const published = performance.now() - t0;
    const workerSeconds = (Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000;
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
      rowsPerSecondEndToEnd: Math.round(ROWS / (published / 1000)),
      rowsPerSecondWorker: Math.round(ROWS / workerSeconds),
      loadAvgAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    console.log(`lab-upload: ${ROWS.toLocaleString('en')} rows (${FORMAT}, ${(result.bytes / 2 ** 20).toFixed(1)} MiB, ${BAD} bad)`);
    console.log(`  ${machineLine(machine)}; load average at start ${machine.loadAvgAtStart.join(' ')}, at end ${result.loadAvgAtEnd.join(' ')}`);
    console.log(`  ${buildLine(result.build)}`);
    console.log(`  accepted (202) after ${result.acceptedMs} ms; first progress after ${result.firstProgressMs} ms`);
    console.log(`  completed after ${result.completedS} s (worker ${workerSeconds} s, ${result.rowsPerSecondWorker} rows/s)`);
    console.log(`  every event in the stream after ${result.publishedS} s: ${result.rowsPerSecondEndToEnd} rows/s end to end`);
    console.log(`  committed ${status.committed}, refused ${status.errors}`);
    console.log(`  raw result: ${saveResult('lab-upload', result)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
