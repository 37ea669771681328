import type { LabResultEntry, LabResultListResponse, SnapshotResponse, TrendResponse } from '@frontline/contracts';
import { createCase, personBody } from './support/cases';
import { DISTRICTS, EventFactory, LabResultFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const MC = DISTRICTS.mongCai;

/**
 * One truth for test results (decision 0028): every `test.resulted` the console counts is a row
 * of the lab results registry, whichever path it came in by. An integration's result through
 * `POST /api/v1/events` gets its row from the case-rules consumer after the commit; a result
 * recorded on a case gets it in the api's transaction; a lab's own result has it already.
 */
describe('lab results registry: every counted test result is listed', () => {
  const stack = new TestStack();
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  const listed = async (query: string): Promise<LabResultEntry[]> => {
    const res = await stack.request('GET', `/api/v1/lab-results?${query}`, 'province.duty');
    expect(res.status).toBe(200);
    return (res.body as LabResultListResponse).results;
  };
  const rowsOfEvent = (eventId: string) => stack.count('SELECT count(*) FROM lab_results WHERE event_id = $1', [eventId]);

  it('an integration result appears in GET /lab-results, once, with its lab or the submitting unit, and its case', async () => {
    const withLab = EventFactory.testResulted('positive').inUnit(MC.code).build();
    withLab.payload.labCode = 'QN-CDC';
    const noLab = EventFactory.testResulted('negative').inUnit(MC.code).ago(60_000).build();
    // A case the sender names by its own id, registered by the same integration.
    const f0 = EventFactory.caseConfirmed().inUnit(MC.code).build();
    const ofCase = EventFactory.testResulted('negative').inUnit(MC.code).build();
    ofCase.payload.caseId = f0.payload.caseId;
    // A case named by our own id.
    const ours = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const ofOurCase = EventFactory.testResulted('negative').inUnit(MC.code).build();
    ofOurCase.payload.caseId = ours.id;
    await stack.postEvents(MC.account, [withLab, noLab, f0, ofCase, ofOurCase]);
    // The same event ids sent again: accepted, nothing written twice.
    await stack.postEvents(MC.account, [withLab, noLab]);
    await stack.consumed('case-rules');

    const results = await listed(`unit=${MC.code}`);
    const byEvent = new Map(results.map((r) => [r.eventId, r]));
    expect(byEvent.get(withLab.id)).toEqual(
      expect.objectContaining({
        labCode: 'QN-CDC',
        sampleId: withLab.payload.sampleId,
        unit: MC.code,
        method: 'rt-pcr',
        result: 'positive',
        collectedAt: withLab.occurredAt,
        resultedAt: withLab.occurredAt,
        caseId: null,
      }),
    );
    expect(byEvent.get(noLab.id)).toEqual(expect.objectContaining({ labCode: `unit:${MC.code}`, result: 'negative', collectedAt: noLab.occurredAt }));
    const registered = (await stack.db.query(`SELECT case_id FROM case_references WHERE reference = $1`, [f0.payload.caseId])).rows;
    expect(registered).toHaveLength(1);
    expect(byEvent.get(ofCase.id)).toEqual(expect.objectContaining({ caseId: registered[0].case_id }));
    expect(byEvent.get(ofOurCase.id)).toEqual(expect.objectContaining({ caseId: ours.id, personId: ours.personId }));
    for (const event of [withLab, noLab, ofCase, ofOurCase]) expect(await rowsOfEvent(event.id)).toBe(1);
  });

  it('a redelivered or republished result writes nothing twice', async () => {
    const result = EventFactory.testResulted('negative').inUnit(MC.code).build();
    await stack.postEvents(MC.account, [result]);
    await stack.consumed('case-rules');
    expect(await rowsOfEvent(result.id)).toBe(1);
    // As the relay does after a Redis loss: the receipt forgotten and the entry in the stream again.
    const stream = `${stack.prefix}events`;
    const entry = ((await stack.redis.xrange(stream, '-', '+')) as [string, string[]][]).find(([, fields]) =>
      fields.some((f) => f.includes(result.id)),
    );
    expect(entry).toBeDefined();
    await stack.db.query(`DELETE FROM consumer_receipts WHERE consumer = 'case-rules' AND event_id = $1`, [result.id]);
    await stack.redis.xadd(stream, '*', ...entry![1]);
    await waitFor('the result applied again', () =>
      stack.count(`SELECT count(*) FROM consumer_receipts WHERE consumer = 'case-rules' AND event_id = $1`, [result.id]),
    );
    await stack.consumed('case-rules');
    expect(await rowsOfEvent(result.id)).toBe(1);
  });

  it('a result recorded on a case is listed at once; a lab result keeps its one row; a drill writes none', async () => {
    const kase = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const recorded = await stack.request('POST', `/api/v1/cases/${kase.id}/tests`, MC.account, { method: 'antigen', result: 'negative' });
    expect(recorded.status).toBe(201);
    // Written in the api's transaction: no waiting for the worker.
    const onCase = (await listed(`unit=${MC.code}`)).filter((r) => r.caseId === kase.id);
    expect(onCase).toEqual([expect.objectContaining({ method: 'antigen', result: 'negative', personId: kase.personId, labCode: `unit:${MC.code}` })]);

    const lab = await stack.request('POST', '/api/v1/lab-results', MC.account, LabResultFactory.rtPcr('negative').build());
    expect(lab.status).toBe(201);
    const drill = EventFactory.testResulted('positive').inUnit(MC.code).asDrill('EX-1').build();
    await stack.postEvents(MC.account, [drill]);
    await stack.consumed('case-rules');
    expect(await rowsOfEvent(lab.body.eventId)).toBe(1);
    expect(await rowsOfEvent(drill.id)).toBe(0);
  });

  it("the day's test count of the figures equals the unit's lab results of the day", async () => {
    await stack.consumed('case-rules');
    await stack.consumed('projector');
    const snapshot = (await stack.request('GET', `/api/v1/snapshot?unit=${MC.code}`, 'province.duty')).body as SnapshotResponse;
    const trend = (await stack.request('GET', `/api/v1/trend?unit=${MC.code}&days=1`, 'province.duty')).body as TrendResponse;
    const today = trend.days.find((d) => d.day === snapshot.day);
    const results = await listed(`unit=${MC.code}&from=${snapshot.day}&to=${snapshot.day}`);
    expect(results.length).toBeGreaterThan(5);
    expect(today?.tests).toBe(results.length);
    expect(today?.positives).toBe(results.filter((r) => r.result === 'positive').length);
  });
});
