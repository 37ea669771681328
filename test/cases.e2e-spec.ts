import { randomUUID } from 'node:crypto';
import { createCase, daysAgo, personBody } from './support/cases';
import { DISTRICTS } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const MC = DISTRICTS.mongCai;

describe('cases: people, status machines, refusals and the test.resulted rules', () => {
  const stack = new TestStack();

  // The case's own events (a new F0's tracing task also names it: test/case-tracing-task.e2e-spec.ts).
  const events = async (caseId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> =>
    (
      await stack.db.query(
        `SELECT type, payload FROM event_log WHERE (payload->>'caseId' = $1 OR payload->>'contactId' = $1) AND type NOT LIKE 'task.%'
         ORDER BY seq`,
        [caseId],
      )
    ).rows;
  const get = async (id: string) => (await stack.request('GET', `/api/v1/cases/${id}`, MC.account)).body;

  beforeAll(async () => {
    await stack.start();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('an F0 is created with its person apart: case.confirmed carries ids only, the history has its first row', async () => {
    const person = personBody(MC.code);
    const f0 = await createCase(stack, MC.account, {
      person,
      classification: 'F0',
      isolation: { kind: 'facility', place: 'Bệnh viện Đa khoa Móng Cái' },
      method: 'rt-pcr',
    });
    expect(f0).toEqual(expect.objectContaining({ classification: 'F0', status: 'admitted', unit: MC.code, monitoringDays: 21 }));
    const log = await events(f0.id);
    expect(log.map((e) => e.type)).toEqual(['case.confirmed']);
    const raw = JSON.stringify(log);
    for (const value of [person.fullName, person.phone, person.nationalId, person.address]) expect(raw).not.toContain(String(value));
    const detail = await get(f0.id);
    expect(detail.history).toHaveLength(1);
    expect(detail.person.fullName).toBe(person.fullName);
  });

  it('F0: admitted -> treated -> recovered; no transition out of a final status; an F0 is never released', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const move = (to: string) => stack.request('POST', `/api/v1/cases/${f0.id}/status`, MC.account, { to });
    expect((await move('quarantined')).status).toBe(409);
    expect((await move('treated')).body.status).toBe('treated');
    const release = await stack.request('POST', `/api/v1/cases/${f0.id}/release`, MC.account);
    expect(release.status).toBe(409);
    expect(release.body.message).toMatch(/F0 is never released/);
    expect((await move('recovered')).body.status).toBe('recovered');
    const after = await move('treated');
    expect(after.status).toBe(409);
    expect(after.body.message).toMatch(/final status/);
    expect((await events(f0.id)).map((e) => e.type)).toEqual(['case.confirmed', 'case.status-changed', 'case.status-changed']);
    expect((await get(f0.id)).history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['admitted', 'treated', 'recovered']);
  });

  it('F1: identified -> quarantined -> tested; no release before the end of monitoring or without a negative exit test', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const f1 = await createCase(stack, MC.account, {
      person: personBody(MC.code),
      classification: 'F1',
      sourceCaseId: f0.id,
      exposure: { date: daysAgo(1), setting: 'household', place: 'nhà riêng' },
    });
    expect(f1).toEqual(expect.objectContaining({ status: 'identified', monitoringDays: 14, sourceCaseId: f0.id }));
    expect((await events(f1.id))[0]).toEqual({
      type: 'contact.identified',
      payload: { contactId: f1.id, classification: 'F1', sourceCaseId: f0.id, exposureDate: daysAgo(1), setting: 'household' },
    });
    const move = (to: string) => stack.request('POST', `/api/v1/cases/${f1.id}/status`, MC.account, { to });
    expect((await move('quarantined')).body.status).toBe('quarantined');
    expect((await move('admitted')).status).toBe(409);
    const early = await stack.request('POST', `/api/v1/cases/${f1.id}/release`, MC.account);
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/monitoring runs until/);
    const tested = await stack.request('POST', `/api/v1/cases/${f1.id}/tests`, MC.account, { method: 'rt-pcr', result: 'negative' });
    expect(tested.status).toBe(201);
    expect(tested.body.status).toBe('tested');
    // A negative before the end of monitoring does not release.
    expect((await stack.request('POST', `/api/v1/cases/${f1.id}/release`, MC.account)).status).toBe(409);
    // Wrong source classification: an F2 must come from an F1.
    const bad = await stack.request('POST', '/api/v1/cases', MC.account, {
      person: personBody(MC.code),
      classification: 'F2',
      sourceCaseId: f0.id,
      exposure: { date: daysAgo(1), setting: 'market' },
    });
    expect(bad.status).toBe(409);
    // Bad input names the field and writes nothing.
    const invalid = await stack.request('POST', '/api/v1/cases', MC.account, { person: personBody(MC.code), classification: 'F1' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details[0].path).toBe('body.sourceCaseId');
  });

  it('an F1 at the end of monitoring: refused without an exit test, released by the rule on a negative result', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const f1 = await createCase(stack, MC.account, {
      person: personBody(MC.code),
      classification: 'F1',
      sourceCaseId: f0.id,
      exposure: { date: daysAgo(15), setting: 'workplace' },
      isolation: { kind: 'home' },
    });
    expect(f1.status).toBe('quarantined');
    const refused = await stack.request('POST', `/api/v1/cases/${f1.id}/release`, MC.account);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/no negative exit test/);
    // The lab's result arrives as a test.resulted event for the case: the worker rule releases it.
    await stack.postEvents(MC.account, [
      {
        id: randomUUID(),
        type: 'test.resulted',
        unit: MC.code,
        occurredAt: new Date().toISOString(),
        payload: { testId: `T-${randomUUID()}`, sampleId: 'S-1', method: 'rt-pcr', result: 'negative', caseId: f1.id },
      },
    ]);
    await waitFor('automatic release', async () => (await get(f1.id)).status === 'released');
    const released = (await events(f1.id)).find((e) => e.type === 'case.released');
    expect(released?.payload).toEqual({ caseId: f1.id, classification: 'F1', reason: 'exit-test', automatic: true });
    expect((await stack.request('POST', `/api/v1/cases/${f1.id}/status`, MC.account, { to: 'quarantined' })).status).toBe(409);
  });

  it('a positive for an F1 proposes an F0; the duty officer confirms it: one transition F1 -> F0 keeping the history', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    const f1 = await createCase(stack, MC.account, {
      person: personBody(MC.code),
      classification: 'F1',
      sourceCaseId: f0.id,
      exposure: { date: daysAgo(3), setting: 'household' },
      isolation: { kind: 'facility', place: 'Khu cách ly tập trung' },
    });
    const testId = `T-${randomUUID()}`;
    await stack.postEvents(MC.account, [
      {
        id: randomUUID(),
        type: 'test.resulted',
        unit: MC.code,
        occurredAt: new Date().toISOString(),
        payload: { testId, sampleId: 'S-2', method: 'antigen', result: 'positive', caseId: f1.id },
      },
    ]);
    await waitFor('proposal', async () => (await get(f1.id)).proposalTestId === testId);
    expect((await events(f1.id)).map((e) => e.type)).toEqual([
      'contact.identified',
      'test.resulted',
      'case.status-changed',
      'case.proposed',
    ]);
    const confirmed = await stack.request('POST', `/api/v1/cases/${f1.id}/confirm`, MC.account);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual(expect.objectContaining({ id: f1.id, classification: 'F0', status: 'admitted', monitoringDays: 21 }));
    const detail = await get(f1.id);
    expect(detail.history.map((h: { toClassification: string; toStatus: string }) => `${h.toClassification}:${h.toStatus}`)).toEqual([
      'F1:quarantined',
      'F1:tested',
      'F0:admitted',
    ]);
    // Who made each change: the duty officer's name, also for what the rule did with the result
    // the duty officer sent (the history keeps the sender, not only the rule).
    const dutyName = (await stack.db.query(`SELECT display_name FROM users WHERE username = $1`, [MC.account])).rows[0].display_name;
    expect(detail.history.map((h: { actorName: string | null }) => h.actorName)).toEqual([dutyName, dutyName, dutyName]);
    expect(detail.tests).toEqual([expect.objectContaining({ testId, method: 'antigen', result: 'positive' })]);
    const log = await events(f1.id);
    expect(log.slice(-2).map((e) => e.type)).toEqual(['case.reclassified', 'case.confirmed']);
    expect(log.slice(-1)[0].payload).toEqual(expect.objectContaining({ caseId: f1.id, method: 'antigen', source: 'quarantine' }));
    expect((await stack.request('POST', `/api/v1/cases/${f1.id}/confirm`, MC.account)).status).toBe(409);
  });

  it('positive again after recovery: a new F0 proposal marked re-positive, confirmed by the duty officer', async () => {
    const f0 = await createCase(stack, MC.account, { person: personBody(MC.code), classification: 'F0' });
    for (const to of ['treated', 'recovered'])
      expect((await stack.request('POST', `/api/v1/cases/${f0.id}/status`, MC.account, { to })).status).toBe(200);
    await stack.postEvents(MC.account, [
      {
        id: randomUUID(),
        type: 'test.resulted',
        unit: MC.code,
        occurredAt: new Date().toISOString(),
        payload: { testId: `T-${randomUUID()}`, sampleId: 'S-3', method: 'rt-pcr', result: 'positive', caseId: f0.id },
      },
    ]);
    const proposal = await waitFor('re-positive proposal', async () => {
      const list = (await stack.request('GET', `/api/v1/cases?unit=${MC.code}&status=proposed`, MC.account)).body;
      return list.find((c: { personId: string }) => c.personId === f0.personId);
    });
    expect(proposal).toEqual(expect.objectContaining({ classification: 'F0', repositive: true }));
    const confirmed = await stack.request('POST', `/api/v1/cases/${proposal.id}/confirm`, MC.account);
    expect(confirmed.body.status).toBe('admitted');
    expect((await events(proposal.id)).map((e) => [e.type, e.payload.repositive])).toEqual([
      ['case.proposed', true],
      ['case.confirmed', true],
    ]);
    // The same person cannot get a second open case.
    const again = await stack.request('POST', '/api/v1/cases', MC.account, { personId: f0.personId, classification: 'F0' });
    expect(again.status).toBe(409);
  });

  it('the F1-under-monitoring figure follows releases and reclassifications', async () => {
    const open = await stack.count(
      `SELECT count(*) FROM cases WHERE classification = 'F1' AND status IN ('identified', 'quarantined', 'tested') AND unit_code = $1`,
      [MC.code],
    );
    expect(open).toBe(1);
    await waitFor('f1Active', async () => {
      const { rows } = await stack.db.query(`SELECT f1_active FROM unit_live_counters WHERE unit_code = $1`, [MC.code]);
      return rows[0]?.f1_active === open;
    });
  });
});
