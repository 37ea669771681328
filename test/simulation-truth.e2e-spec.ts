import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CaseDetail, CaseSummary, LabResultListResponse, MapPointsResponse, SnapshotResponse, TrendResponse } from '@frontline/contracts';
import { DEMO_PASSWORD, TestStack } from './support/stack';
import { waitFor } from './support/wait';

const ROOT = join(__dirname, '..');

/** `npm run simulate` against the stack; resolves with its exit code and output. */
function simulate(apiUrl: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/simulate.ts', '--api', apiUrl, ...args], {
      cwd: ROOT,
      env: { ...process.env, FRONTLINE_DEMO_PASSWORD: DEMO_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * One truth: the simulator's traffic goes through the integration path (`POST /api/v1/events`),
 * and every F0 the province console counts, every F1 the map draws, is a record of the registry.
 */
describe('npm run simulate: the console counts what the case registry holds', () => {
  const stack = new TestStack();
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  it('F0 today on the province console equals the F0 cases of today, and every F1 on the map opens its case and source', async () => {
    const run = await simulate(stack.apiUrl, ['--rate', '50', '--duration', '12', '--seed', '7', '--progress', '60']);
    expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });

    const submitted = await stack.submittedEvents();
    await waitFor('the projector to apply every submitted event', async () => (await stack.projectedSubmittedEvents()) === submitted, 60_000, 250);
    const snapshot = (await stack.request('GET', '/api/v1/snapshot?unit=22', 'province.duty')).body as SnapshotResponse;
    const list = await stack.request(
      'GET',
      `/api/v1/cases?unit=22&classification=F0&from=${snapshot.day}&to=${snapshot.day}&limit=1000`,
      'province.duty',
    );
    expect(list.status).toBe(200);
    const f0Cases = list.body as CaseSummary[];
    expect(snapshot.counters.f0Today).toBeGreaterThan(0);
    expect(f0Cases.filter((c) => c.status !== 'proposed')).toHaveLength(snapshot.counters.f0Today);

    // Every F0 of the registry gets its tracing task, as one registered through /cases does.
    await waitFor(
      'a tracing task for every F0',
      async () =>
        (await stack.count(`SELECT count(DISTINCT case_id) FROM tasks WHERE type = 'tracing' AND case_id = ANY($1::uuid[])`, [
          f0Cases.map((c) => c.id),
        ])) === f0Cases.length,
      30_000,
      250,
    );

    const map = (await stack.request('GET', '/api/v1/map/points?unit=22', 'province.duty')).body as MapPointsResponse;
    const f1 = map.layers.f1;
    expect(f1.ids.length).toBeGreaterThan(0);
    expect(f1.keys).toHaveLength(f1.ids.length);
    for (const [i, key] of (f1.keys ?? []).entries()) {
      const opened = await stack.request('GET', `/api/v1/cases/${key}`, 'province.duty');
      expect(opened.status).toBe(200);
      const contact = opened.body as CaseDetail;
      expect(contact.classification).toBe('F1');
      // The point is the event that registered the contact: its first history row names it.
      expect(contact.history[0].eventId).toBe(f1.ids[i]);
      expect(contact.sourceCaseId).not.toBeNull();
      const source = await stack.request('GET', `/api/v1/cases/${contact.sourceCaseId}`, 'province.duty');
      expect(source.status).toBe(200);
      expect((source.body as CaseDetail).contacts.map((c) => c.id)).toContain(contact.id);
    }

    // Every test result the figures count is a row of the lab results registry, over the same days.
    await stack.consumed('case-rules');
    const trend = (await stack.request('GET', '/api/v1/trend?unit=22&days=14', 'province.duty')).body as TrendResponse;
    const counted = trend.days.reduce((sum, d) => sum + d.tests, 0);
    const results = await stack.request(
      'GET',
      `/api/v1/lab-results?unit=22&from=${trend.days.map((d) => d.day).sort()[0]}&to=${snapshot.day}&limit=5000`,
      'province.duty',
    );
    expect(results.status).toBe(200);
    expect(counted).toBeGreaterThan(0);
    expect((results.body as LabResultListResponse).results).toHaveLength(counted);
  }, 180_000);
});
