/**
 * DIAGNOSTIC, NOT PRODUCT CODE: where a lab upload's time goes (docs/benchmarks.md, lab-upload).
 * Parses and validates 20,000 CSV rows, then writes them as ten 2,000-row chunks with the
 * product's writer in-process against a scratch stack, timing write / commit / publish.
 *
 *   npx tsx bench/experiments/lab-upload-phases.ts
 */
import Redis from 'ioredis';
import { createDataSource } from '@frontline/database';
import { EventStore, StreamPublisher, streamKeys } from '@frontline/spine';
import { labUploadFile } from '../../test/support/factories';
import { TestStack } from '../../test/support/stack';
import { readUploadRows, validateRows, writeLabResults, derivedId } from '@frontline/lab-testing';

async function main(): Promise<void> {
  const stack = await new TestStack({ processes: true }).start();
  const ds = await createDataSource(stack.databaseUrl, 4).initialize();
  const redis = new Redis(stack.redisUrl);
  const store = new EventStore(ds);
  const publisher = new StreamPublisher(redis, ds, streamKeys(stack.prefix), 1_000_000);
  try {
    const file = labUploadFile(20_000, { prefix: 'PH' });
    let t = performance.now();
    const raw = readUploadRows('csv', file);
    console.log('parse 20k', Math.round(performance.now() - t));
    t = performance.now();
    const { valid } = validateRows(raw, { unitPath: () => ['22', '194'], knownPool: () => false, referenceProblem: () => null });
    console.log('validate 20k', Math.round(performance.now() - t));
    for (let c = 0; c < 10; c++) {
      const chunk = valid.slice(c * 2000, (c + 1) * 2000);
      const results = chunk.map(({ row, value, unitPath }) => ({
        id: derivedId('x', String(row)), labCode: 'L', sampleId: value.sampleId, unit: value.unit, unitPath,
        method: value.method, result: value.result, collectedAt: value.collectedAt, resultedAt: value.collectedAt,
      }));
      const t0 = performance.now();
      let tIns = 0;
      const created = await ds.transaction(async (em) => {
        const o = await writeLabResults(em, store, results, 'bench');
        tIns = performance.now() - t0;
        return o.created;
      });
      const t1 = performance.now();
      await publisher.publish(created);
      const t2 = performance.now();
      console.log(`chunk ${c}: write ${Math.round(tIns)} commit ${Math.round(t1 - t0 - tIns)} publish ${Math.round(t2 - t1)} ms`);
    }
  } finally {
    redis.disconnect();
    await ds.destroy();
    await stack.stop();
  }
}
void main();
