import { randomUUID } from 'node:crypto';
import { createCase, createPeople, daysAgo, personBody } from './support/cases';
import { DISTRICTS, LabResultFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const HL = DISTRICTS.haLong;
const MC = DISTRICTS.mongCai;

/**
 * A district changes only its own records (issue 15, High 1): every case, person, pool, team
 * and lockdown a command names must lie in the caller's (or the upload's) jurisdiction, on every
 * path; one of another district is answered exactly as an unknown id (404 naming the field).
 */
describe('jurisdiction of referenced records: Móng Cái cannot reach a Hạ Long record by its id', () => {
  const stack = new TestStack();
  let haLongF1: { id: string; personId: string };
  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('lab.mong-cai', 'lab', MC.code);
    const source = await createCase(stack, HL.account, { person: personBody(HL.code), classification: 'F0' });
    haLongF1 = await createCase(stack, HL.account, {
      person: personBody(HL.code),
      classification: 'F1',
      sourceCaseId: source.id,
      exposure: { date: daysAgo(1), setting: 'household' },
    });
    expect((await stack.request('POST', `/api/v1/cases/${haLongF1.id}/status`, HL.account, { to: 'quarantined' })).status).toBe(200);
  }, 90_000);
  afterAll(() => stack.stop());

  const caseRow = async (id: string) =>
    (await stack.db.query(`SELECT status, proposal_test_id FROM cases WHERE id = $1`, [id])).rows[0] as { status: string; proposal_test_id: string | null };
  const positive = (unit: string, payload: Record<string, unknown>) => ({
    id: randomUUID(),
    type: 'test.resulted',
    unit,
    occurredAt: new Date().toISOString(),
    payload: { testId: `T-${randomUUID().slice(0, 8)}`, sampleId: `S-${randomUUID().slice(0, 8)}`, method: 'rt-pcr', result: 'positive', ...payload },
  });
  const submit = (username: string, events: unknown[]) => stack.request('POST', '/api/v1/events', username, { events });

  it('POST /events: a test result naming a Hạ Long case or person is refused as unknown, and the case is untouched', async () => {
    const foreignCase = await submit(MC.account, [positive(MC.code, { caseId: haLongF1.id })]);
    const unknownCase = await submit(MC.account, [positive(MC.code, { caseId: randomUUID() })]);
    expect(foreignCase.status).toBe(404);
    expect(foreignCase.body.details).toEqual([{ path: 'events[0].payload.caseId', message: 'no such case' }]);
    expect(unknownCase.status).toBe(foreignCase.status);
    expect(unknownCase.body.details).toEqual(foreignCase.body.details);

    const foreignPerson = await submit(MC.account, [positive(MC.code, { personId: haLongF1.personId })]);
    expect(foreignPerson.status).toBe(404);
    expect(foreignPerson.body.details).toEqual([{ path: 'events[0].payload.personId', message: 'no such person' }]);

    // A contact of a Hạ Long case, and a Hạ Long case "confirmed" from Móng Cái: refused alike.
    const contact = await submit(MC.account, [
      {
        type: 'contact.identified',
        unit: MC.code,
        occurredAt: new Date().toISOString(),
        payload: { contactId: `F1-${randomUUID().slice(0, 8)}`, classification: 'F1', sourceCaseId: haLongF1.id, exposureDate: daysAgo(1), setting: 'household' },
      },
    ]);
    expect(contact.status).toBe(404);
    expect(contact.body.details).toEqual([{ path: 'events[0].payload.sourceCaseId', message: 'no such case' }]);
    const confirmed = await submit(MC.account, [
      {
        type: 'case.confirmed',
        unit: MC.code,
        occurredAt: new Date().toISOString(),
        payload: { caseId: `F0-${randomUUID().slice(0, 8)}`, method: 'rt-pcr', source: 'community', previousCaseId: haLongF1.id },
      },
    ]);
    expect(confirmed.status).toBe(404);
    expect(confirmed.body.details).toEqual([{ path: 'events[0].payload.previousCaseId', message: 'no such case' }]);

    await stack.consumed('case-rules');
    expect(await caseRow(haLongF1.id)).toEqual({ status: 'quarantined', proposal_test_id: null });
    expect(await stack.count(`SELECT count(*) FROM cases WHERE source_case_id = $1 AND unit_code = $2`, [haLongF1.id, MC.code])).toBe(0);
  });

  it('the lab endpoints: a Móng Cái lab names no Hạ Long case or person, and enrols no Hạ Long people in a pool', async () => {
    const lab = (path: string, body: unknown) => stack.request('POST', path, 'lab.mong-cai', body);
    const byCase = await lab('/api/v1/lab-results', LabResultFactory.rtPcr('positive').with({ caseId: haLongF1.id }).build());
    const byUnknownCase = await lab('/api/v1/lab-results', LabResultFactory.rtPcr('positive').with({ caseId: randomUUID() }).build());
    expect(byCase.status).toBe(404);
    expect(byCase.body.details).toEqual([{ path: 'body.caseId', message: 'no such case' }]);
    expect(byUnknownCase.status).toBe(404);
    expect(byUnknownCase.body.details).toEqual(byCase.body.details);
    const byPerson = await lab('/api/v1/lab-results', LabResultFactory.rtPcr('positive').forPerson(haLongF1.personId).build());
    expect(byPerson.status).toBe(404);
    expect(byPerson.body.details).toEqual([{ path: 'body.personId', message: 'no such person' }]);

    const [own] = await createPeople(stack, MC.account, MC.code, 1);
    const pool = await lab('/api/v1/lab-pools', {
      labCode: 'QN-CDC',
      poolSampleId: `P-${randomUUID().slice(0, 8)}`,
      unit: MC.code,
      collectedAt: new Date().toISOString(),
      members: [{ personId: own }, { personId: haLongF1.personId }],
    });
    expect(pool.status).toBe(404);
    expect(pool.body.details).toEqual([{ path: 'body.members.1.personId', message: 'no such person' }]);
    expect(await stack.count(`SELECT count(*) FROM lab_results WHERE case_id = $1 OR person_id = $2`, [haLongF1.id, haLongF1.personId])).toBe(0);
    expect(await stack.count(`SELECT count(*) FROM lab_pool_members WHERE person_id = $1`, [haLongF1.personId])).toBe(0);
  });

  it('the lab-upload worker: a Móng Cái file naming a Hạ Long case or person gets row errors, as for unknown ids', async () => {
    const collectedAt = new Date(Date.now() - 3_600_000).toISOString();
    const row = (i: number, extra: Record<string, unknown>) => ({ sampleId: `U-${randomUUID().slice(0, 8)}-${i}`, unit: MC.code, method: 'rt-pcr', result: 'positive', collectedAt, ...extra });
    const rows = [row(1, { caseId: haLongF1.id }), row(2, { personId: haLongF1.personId }), row(3, { caseId: randomUUID() }), row(4, {})];
    const res = await fetch(`${stack.apiUrl}/api/v1/lab-uploads?lab=QN-CDC`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('lab.mong-cai')}` },
      body: JSON.stringify(rows),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = await waitFor('the upload to finish', async () => {
      const status = await stack.request('GET', `/api/v1/lab-uploads/${id}`, 'lab.mong-cai');
      return status.body.status === 'completed' || status.body.status === 'failed' ? status.body : null;
    }, 60_000, 200);
    expect(done).toEqual(expect.objectContaining({ status: 'completed', committed: 1, errors: 3 }));
    const errors = await stack.request('GET', `/api/v1/lab-uploads/${id}/errors`, 'lab.mong-cai');
    expect(errors.body.errors.map((e: { row: number; field: string; message: string }) => [e.row, e.field, e.message])).toEqual([
      [1, 'caseId', 'no such case'],
      [2, 'personId', 'no such person'],
      [3, 'caseId', 'no such case'],
    ]);
    await stack.consumed('case-rules');
    expect(await caseRow(haLongF1.id)).toEqual({ status: 'quarantined', proposal_test_id: null });
  });

  it('POST /cases: a Móng Cái case names no Hạ Long source case or person (404, as unknown ids)', async () => {
    const contact = (extra: Record<string, unknown>) =>
      stack.request('POST', '/api/v1/cases', MC.account, { classification: 'F1', exposure: { date: daysAgo(1), setting: 'household' }, ...extra });
    const foreignSource = await contact({ person: personBody(MC.code), sourceCaseId: haLongF1.id });
    const unknownSource = await contact({ person: personBody(MC.code), sourceCaseId: randomUUID() });
    expect(foreignSource.status).toBe(404);
    expect(foreignSource.body.details).toEqual([{ path: 'body.sourceCaseId', message: 'no such case' }]);
    expect(unknownSource.status).toBe(404);
    expect(unknownSource.body.details).toEqual(foreignSource.body.details);
    const foreignPerson = await stack.request('POST', '/api/v1/cases', MC.account, { personId: haLongF1.personId, unit: MC.code, classification: 'F0' });
    expect(foreignPerson.status).toBe(404);
    expect(foreignPerson.body.details).toEqual([{ path: 'body.personId', message: 'no such person' }]);
  });

  it('dispatch: a Hạ Long team cannot be sent by Móng Cái, answered as an unknown team', async () => {
    const place = { lat: 21.52, lon: 107.96 };
    const haLongTeam = (await stack.request('GET', '/api/v1/dispatch/teams', HL.account)).body.teams[0].id as string;
    const create = (teamId: string) =>
      stack.request('POST', '/api/v1/dispatch/tasks', MC.account, { type: 'tracing', unit: MC.code, place, priority: 'normal', teamId });
    const foreign = await create(haLongTeam);
    const unknown = await create(randomUUID());
    expect(foreign.status).toBe(404);
    expect(foreign.body.details).toEqual([{ path: 'body.teamId', message: 'no such team' }]);
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toEqual(foreign.body.details);
  });

  it('a result the district may send is applied, and the case history names its sender, not only the rules', async () => {
    const sent = await submit(HL.account, [positive(HL.code, { caseId: haLongF1.id })]);
    expect(sent.status).toBe(202);
    await waitFor('the F0 proposal', async () => (await caseRow(haLongF1.id)).proposal_test_id !== null);
    const [{ id: sender }] = (await stack.db.query(`SELECT id FROM users WHERE username = $1`, [HL.account])).rows as { id: string }[];
    const history = await stack.db.query(`SELECT to_status, actor FROM case_status_history WHERE case_id = $1 ORDER BY id`, [haLongF1.id]);
    expect(history.rows.at(-1)).toEqual({ to_status: 'tested', actor: `user:${sender}` });
  });
});
