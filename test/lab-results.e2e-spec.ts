import { randomUUID } from 'node:crypto';
import { createCase, createPeople, personBody } from './support/cases';
import { LabResultFactory } from './support/factories';
import { TestStack } from './support/stack';

describe('lab results, retest rules and pools', () => {
  const stack = new TestStack();
  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('lab.mong-cai', 'lab', '194');
    await stack.createAccount('field.mong-cai', 'field-team', '194');
  }, 90_000);
  afterAll(() => stack.stop());

  const post = (path: string, body: unknown, user = 'lab.mong-cai') => stack.request('POST', path, user, body);
  /** People of Móng Cái in the case registry (the lab tables reference them). */
  const people = (count: number) => createPeople(stack, 'mong-cai.duty', '194', count);
  const eventsOf = async (type: string, field: string, value: string) =>
    (await stack.db.query(`SELECT id, unit_code, payload FROM event_log WHERE type = $1 AND payload->>$2 = $3`, [type, field, value])).rows;

  it('commits a result with its test.resulted in one transaction; the sample is unique per lab', async () => {
    const [person] = await people(1);
    const body = LabResultFactory.rtPcr('negative').forPerson(person).build();
    const res = await post('/api/v1/lab-results', body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), eventId: expect.any(String), seq: expect.any(Number), retests: [] });

    const row = await stack.db.query('SELECT person_id, method, result, event_id, unit_path FROM lab_results WHERE id = $1', [res.body.id]);
    expect(row.rows[0]).toEqual({ person_id: person, method: 'rt-pcr', result: 'negative', event_id: res.body.eventId, unit_path: ['22', '194'] });
    const events = await eventsOf('test.resulted', 'testId', res.body.id);
    expect(events).toEqual([
      {
        id: res.body.eventId,
        unit_code: '194',
        payload: { testId: res.body.id, sampleId: body.sampleId, method: 'rt-pcr', result: 'negative', labCode: 'QN-CDC', personId: person },
      },
    ]);

    // The same sample again: 409, nothing written.
    const again = await post('/api/v1/lab-results', { ...body, result: 'positive' });
    expect(again.status).toBe(409);
    expect(again.body.details).toEqual([{ path: 'body.sampleId', message: 'already recorded for this lab' }]);
    expect(await stack.count('SELECT count(*) FROM lab_results WHERE sample_id = $1', [body.sampleId])).toBe(1);
    // Another lab may use the same sample code.
    expect((await post('/api/v1/lab-results', { ...body, labCode: 'QN-HOSP-2' })).status).toBe(201);
  });

  it('refuses bad input naming the field, other roles and other jurisdictions', async () => {
    const bad = await post('/api/v1/lab-results', LabResultFactory.antigen().with({ method: 'pcr', personId: 'x' }).build());
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.method', 'body.personId']);
    const late = await post('/api/v1/lab-results', LabResultFactory.antigen().with({ resultedAt: '2000-01-01T00:00:00Z' }).build());
    expect(late.body.details).toEqual([{ path: 'body.resultedAt', message: 'must not be before collectedAt' }]);
    expect((await post('/api/v1/lab-results', LabResultFactory.antigen().inUnit('193').build())).status).toBe(403);
    expect((await post('/api/v1/lab-results', LabResultFactory.antigen().build(), 'field.mong-cai')).status).toBe(403);
    expect((await post('/api/v1/lab-results', LabResultFactory.antigen().with({ poolId: randomUUID() }).build())).body.details).toEqual([
      { path: 'body.poolId', message: 'no such pool' },
    ]);
    // People and cases are those of the registry (foreign keys): an unknown one is a 404 naming the
    // field (as one of another jurisdiction is), a case of another person a 400.
    const refused = async (fields: Record<string, unknown>, status = 404) => {
      const res = await post('/api/v1/lab-results', LabResultFactory.antigen().with(fields).build());
      expect(res.status).toBe(status);
      return res.body.details;
    };
    expect(await refused({ personId: randomUUID() })).toEqual([{ path: 'body.personId', message: 'no such person' }]);
    expect(await refused({ caseId: randomUUID() })).toEqual([{ path: 'body.caseId', message: 'no such case' }]);
    expect(await refused({ caseId: 'F0-123' }, 400)).toEqual([{ path: 'body.caseId', message: expect.any(String) }]);
    const kase = await createCase(stack, 'mong-cai.duty', { person: personBody('194'), classification: 'F0' });
    const [stranger] = await people(1);
    expect(await refused({ caseId: kase.id, personId: stranger }, 400)).toEqual([
      { path: 'body.caseId', message: 'the case is of another person' },
    ]);
    const ok = await post('/api/v1/lab-results', LabResultFactory.antigen().with({ caseId: kase.id }).build());
    expect(ok.status).toBe(201);
    expect(await stack.count('SELECT count(*) FROM lab_results WHERE person_id IS NOT NULL AND person_id NOT IN (SELECT id FROM people)')).toBe(0);
    // A lab result is not something the generic event intake accepts for the server-made types.
    const forged = await stack.request('POST', '/api/v1/events', 'province.duty', {
      events: [{ type: 'retest.required', unit: '194', occurredAt: new Date().toISOString(), payload: {} }],
    });
    expect(forged.status).toBe(400);
  });

  it('an antigen positive needs RT-PCR confirmation: a retest entry and a retest.required event, closed by a later RT-PCR', async () => {
    const [person, other] = await people(2);
    const res = await post('/api/v1/lab-results', LabResultFactory.antigen('positive').forPerson(person).build());
    expect(res.status).toBe(201);
    expect(res.body.retests).toEqual([
      expect.objectContaining({ reason: 'antigen-confirmation', personId: person, sourceTestId: res.body.id, status: 'open', requiredMethod: 'rt-pcr' }),
    ]);
    const retestId = res.body.retests[0].id;
    expect((await eventsOf('retest.required', 'retestId', retestId)).map((e) => e.payload)).toEqual([
      expect.objectContaining({ reason: 'antigen-confirmation', personId: person, sourceTestId: res.body.id }),
    ]);
    // An antigen negative opens nothing.
    const negative = await post('/api/v1/lab-results', LabResultFactory.antigen('negative').forPerson(other).build());
    expect(negative.body.retests).toEqual([]);

    const list = await stack.request('GET', '/api/v1/retests?unit=194', 'lab.mong-cai');
    expect(list.status).toBe(200);
    expect(list.body.retests.map((r: { id: string }) => r.id)).toContain(retestId);

    // The RT-PCR result of the same person closes it.
    const pcr = await post('/api/v1/lab-results', LabResultFactory.rtPcr('negative').forPerson(person).build());
    expect(pcr.status).toBe(201);
    const after = await stack.request('GET', '/api/v1/retests?unit=194&status=done', 'lab.mong-cai');
    expect(after.body.retests).toEqual([expect.objectContaining({ id: retestId, status: 'done', resolvedByTestId: pcr.body.id })]);
    // Another district's retest list is not readable.
    expect((await stack.request('GET', '/api/v1/retests?unit=193', 'lab.mong-cai')).status).toBe(403);
  });

  it('a positive pool puts every member on the retest list; a negative pool none', async () => {
    const makePool = async (size: number) => {
      const members = (await people(size)).map((personId) => ({ personId }));
      const res = await post('/api/v1/lab-pools', {
        labCode: 'QN-CDC',
        poolSampleId: `P-${randomUUID().slice(0, 8)}`,
        unit: '194',
        collectedAt: new Date(Date.now() - 7_200_000).toISOString(),
        members,
      });
      expect(res.status).toBe(201);
      return { id: res.body.id as string, members: members.map((m) => m.personId) };
    };
    const positive = await makePool(10);
    const negative = await makePool(5);

    const pos = await post('/api/v1/lab-results', LabResultFactory.rtPcr('positive').with({ poolId: positive.id }).build());
    expect(pos.status).toBe(201);
    expect(pos.body.retests.map((r: { personId: string }) => r.personId).sort()).toEqual([...positive.members].sort());
    expect(new Set(pos.body.retests.map((r: { reason: string }) => r.reason))).toEqual(new Set(['pool-positive']));
    const neg = await post('/api/v1/lab-results', LabResultFactory.rtPcr('negative').with({ poolId: negative.id }).build());
    expect(neg.body.retests).toEqual([]);

    expect(await stack.count('SELECT count(*) FROM retest_list WHERE pool_id = $1', [positive.id])).toBe(10);
    expect(await stack.count('SELECT count(*) FROM retest_list WHERE pool_id = $1', [negative.id])).toBe(0);
    // One retest.required per member; the pool's test.resulted carries the pool and its size.
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE type = 'retest.required' AND payload->>'poolId' = $1`, [positive.id])).toBe(10);
    const [poolEvent] = await eventsOf('test.resulted', 'testId', pos.body.id);
    expect(poolEvent.payload).toEqual(expect.objectContaining({ poolId: positive.id, poolSize: 10, result: 'positive' }));

    const list = await stack.request('GET', '/api/v1/retests?unit=22', 'province.duty');
    const onList = list.body.retests.filter((r: { poolId: string }) => r.poolId === positive.id);
    expect(onList.map((r: { personId: string }) => r.personId).sort()).toEqual([...positive.members].sort());

    // A pool needs 2..50 distinct people; its sample code is unique per lab.
    const dup = await post('/api/v1/lab-pools', {
      labCode: 'QN-CDC',
      poolSampleId: 'P-dup',
      unit: '194',
      collectedAt: new Date().toISOString(),
      members: [{ personId: positive.members[0] }, { personId: positive.members[0] }],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.details).toEqual([{ path: 'body.members.1.personId', message: 'listed twice' }]);
    // A member the registry does not know (or of another jurisdiction): 404 naming the member, no pool written.
    const unknown = await post('/api/v1/lab-pools', {
      labCode: 'QN-CDC',
      poolSampleId: 'P-unknown',
      unit: '194',
      collectedAt: new Date().toISOString(),
      members: [{ personId: positive.members[0] }, { personId: randomUUID() }],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toEqual([{ path: 'body.members.1.personId', message: 'no such person' }]);
    expect(await stack.count(`SELECT count(*) FROM lab_pools WHERE pool_sample_id = 'P-unknown'`)).toBe(0);
  });
});
