import { labUploadFile } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const ROWS = 100_000;
const BAD_ROWS = [1, 33_333, 77_777, 100_000];

describe('fault: a 100,000-row lab upload with the worker killed mid-file', () => {
  const stack = new TestStack({ processes: true });
  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('lab.mong-cai', 'lab', '194');
  }, 90_000);
  afterAll(() => stack.stop());

  it('completes with progress, reports the bad rows by number and commits every other row exactly once', async () => {
    const file = labUploadFile(ROWS, { badRows: BAD_ROWS, prefix: 'BIG' });
    const res = await fetch(`${stack.apiUrl}/api/v1/lab-uploads?lab=QN-CDC`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${await stack.token('lab.mong-cai')}` },
      body: file,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const seen: number[] = [];
    const status = async () => {
      const s = await stack.request('GET', `/api/v1/lab-uploads/${id}`, 'lab.mong-cai');
      if (seen.at(-1) !== s.body.rowsDone) seen.push(s.body.rowsDone);
      return s.body as { status: string; rowsDone: number; committed: number; errors: number };
    };

    // Kill -9 the worker once a fifth of the file is committed and restart it: the killed run's
    // job lock keeps the upload away from the new worker until it runs out (the job is found
    // stalled), so the upload stands still for that long whenever the restart comes.
    await waitFor('a fifth of the rows committed', async () => (await status()).rowsDone >= ROWS / 5, 60_000, 100);
    await stack.worker.kill9();
    const atKill = (await status()).rowsDone;
    expect(atKill).toBeLessThan(ROWS);
    await stack.worker.start();

    const done = await waitFor('the upload to complete', async () => {
      const s = await status();
      return s.status === 'completed' || s.status === 'failed' ? s : null;
    }, 120_000, 250);
    expect(done).toEqual(expect.objectContaining({ status: 'completed', rowsDone: ROWS, committed: ROWS - BAD_ROWS.length, errors: BAD_ROWS.length }));
    // Progress was readable along the way, before and after the restart.
    expect(seen.filter((n) => n > 0 && n < ROWS).length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    // Exactly the bad rows, by number and field.
    const errors = await stack.request('GET', `/api/v1/lab-uploads/${id}/errors`, 'lab.mong-cai');
    expect(errors.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual(BAD_ROWS.map((row) => [row, 'method']));

    // Every valid row once, each with exactly one test.resulted.
    const expected = ROWS - BAD_ROWS.length;
    expect(await stack.count('SELECT count(*) FROM lab_results WHERE upload_id = $1', [id])).toBe(expected);
    expect(await stack.count('SELECT count(DISTINCT upload_row) FROM lab_results WHERE upload_id = $1', [id])).toBe(expected);
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE type = 'test.resulted' AND payload->>'sampleId' LIKE 'BIG-%'`)).toBe(expected);
    expect(
      await stack.count(`SELECT count(DISTINCT payload->>'testId') FROM event_log WHERE type = 'test.resulted' AND payload->>'sampleId' LIKE 'BIG-%'`),
    ).toBe(expected);
    expect(await stack.count(`SELECT count(*) FROM lab_results r WHERE upload_id = $1 AND NOT EXISTS (SELECT 1 FROM event_log e WHERE e.id = r.event_id)`, [id])).toBe(0);

    // Progress events on the spine (throttled), ending with the completed one; the job's own progress too.
    const progress = await stack.db.query(
      `SELECT payload FROM event_log WHERE type = 'lab-upload.progressed' AND payload->>'uploadId' = $1 ORDER BY seq`,
      [id],
    );
    expect(progress.rows.length).toBeGreaterThanOrEqual(3);
    expect(progress.rows.at(-1).payload).toEqual(expect.objectContaining({ status: 'completed', rowsDone: ROWS, committed: expected }));
    const jobProgress = await stack.redis.hget(`${stack.prefix}bull:lab-uploads:${id}`, 'progress');
    expect(JSON.parse(jobProgress ?? '{}')).toEqual(expect.objectContaining({ rowsDone: ROWS, committed: expected }));
  });
});
