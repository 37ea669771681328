import { createCase, daysAgo, personBody } from './support/cases';
import { DISTRICTS } from './support/factories';
import { TestStack } from './support/stack';

const MC = DISTRICTS.mongCai;
const HL = DISTRICTS.haLong;

/**
 * Personal data of people and cases: only over REST, only within the jurisdiction and to the
 * roles allowed, and every read path leaves exactly the expected audit row.
 */
describe('personal data: jurisdiction, roles and one audit row per personal read', () => {
  const stack = new TestStack();
  let personId: string;
  let person: Record<string, unknown>;
  let f0: string;
  let f1: string;

  const auditRows = async (recordId: string) =>
    (
      await stack.db.query(
        `SELECT actor_username, action, record_type, fields, unit_code, client_ip, user_agent FROM audit_log
         WHERE record_id = $1 ORDER BY id`,
        [recordId],
      )
    ).rows as { actor_username: string; action: string; record_type: string; fields: string[]; unit_code: string }[];
  const reads = async (recordId: string) => (await auditRows(recordId)).filter((r) => r.action === 'read');

  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('qn.admin', 'admin', '22');
    await stack.createAccount('mc.lab', 'lab', MC.code);
    await stack.createAccount('mc.field', 'field-team', MC.code);
    person = personBody(MC.code, { location: { lat: 21.53, lon: 107.96 } });
    const created = await stack.request('POST', '/api/v1/people', MC.account, person);
    expect(created.status).toBe(201);
    personId = created.body.id;
    f0 = (await createCase(stack, MC.account, { personId, classification: 'F0' })).id;
    f1 = (
      await createCase(stack, MC.account, {
        person: personBody(MC.code),
        classification: 'F1',
        sourceCaseId: f0,
        exposure: { date: daysAgo(1), setting: 'vehicle' },
      })
    ).id;
  }, 120_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('registering a person writes one change row naming the fields set, never their values', async () => {
    const rows = await auditRows(personId);
    expect(rows).toEqual([
      expect.objectContaining({
        actor_username: MC.account,
        action: 'change',
        record_type: 'person',
        fields: expect.arrayContaining(['fullName', 'phone', 'nationalId', 'address', 'location']),
        unit_code: MC.code,
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(String(person.phone));
  });

  it('GET /people/:id: the district sees it with one read row; another district gets 404 (as for an unknown id) and no row', async () => {
    const before = (await reads(personId)).length;
    const own = await stack.request('GET', `/api/v1/people/${personId}`, MC.account);
    expect(own.status).toBe(200);
    expect(own.body).toEqual(
      expect.objectContaining({ fullName: person.fullName, phone: person.phone, nationalId: person.nationalId, location: { lat: 21.53, lon: 107.96 } }),
    );
    const other = await stack.request('GET', `/api/v1/people/${personId}`, HL.account);
    expect(other.status).toBe(404);
    const rows = await reads(personId);
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]).toEqual(
      expect.objectContaining({ actor_username: MC.account, record_type: 'person', unit_code: MC.code }),
    );
    expect(rows[rows.length - 1].fields).toEqual(['fullName', 'birthYear', 'sex', 'phone', 'nationalId', 'address', 'location']);
  });

  it('the province reads it too (one row); a lab or field-team user of the district gets 403 and no row', async () => {
    const before = (await reads(personId)).length;
    expect((await stack.request('GET', `/api/v1/people/${personId}`, 'province.duty')).status).toBe(200);
    expect((await stack.request('GET', `/api/v1/people/${personId}`, 'mc.lab')).status).toBe(403);
    expect((await stack.request('GET', `/api/v1/people/${personId}`, 'mc.field')).status).toBe(403);
    const rows = await reads(personId);
    expect(rows.map((r) => r.actor_username).slice(before)).toEqual(['province.duty']);
  });

  it('GET /cases/:id: the person is included for allowed roles with one read row; a lab user gets the case without it and no row', async () => {
    const before = (await reads(personId)).length;
    const duty = await stack.request('GET', `/api/v1/cases/${f0}`, MC.account);
    expect(duty.body.person.fullName).toBe(person.fullName);
    const lab = await stack.request('GET', `/api/v1/cases/${f0}`, 'mc.lab');
    expect(lab.status).toBe(200);
    expect(lab.body.person).toBeUndefined();
    expect(JSON.stringify(lab.body)).not.toContain(String(person.fullName));
    expect((await stack.request('GET', `/api/v1/cases/${f0}`, HL.account)).status).toBe(404);
    const rows = await reads(personId);
    expect(rows.slice(before).map((r) => [r.actor_username, r.record_type])).toEqual([[MC.account, 'person']]);
  });

  it('the list, the chain and the clusters carry no personal fields and write no audit row', async () => {
    const total = await stack.count('SELECT count(*) FROM audit_log');
    const list = await stack.request('GET', `/api/v1/cases?unit=${MC.code}`, MC.account);
    expect(list.status).toBe(200);
    const graph = await stack.request('GET', `/api/v1/cases/${f0}/chain?direction=both`, MC.account);
    expect(graph.body.nodes).toHaveLength(2);
    const clusters = await stack.request('GET', '/api/v1/clusters', MC.account);
    expect(clusters.status).toBe(200);
    const text = JSON.stringify([list.body, graph.body, clusters.body]);
    for (const value of [person.fullName, person.phone, person.nationalId, person.address]) expect(text).not.toContain(String(value));
    expect(await stack.count('SELECT count(*) FROM audit_log')).toBe(total);
    // f1 is used so the chain has an edge.
    expect(graph.body.edges).toEqual([expect.objectContaining({ source: f0, contact: f1 })]);
  });

  it('the CSV export of personal data: one export row per person exported; other roles and districts refused', async () => {
    const exportsBefore = await stack.count(`SELECT count(*) FROM audit_log WHERE action = 'export'`);
    const headers = { authorization: `Bearer ${await stack.token(MC.account)}` };
    const res = await fetch(`${stack.apiUrl}/api/v1/cases/export.csv?unit=${MC.code}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await res.text();
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^case_id,classification,status,unit,full_name,/);
    expect(lines).toHaveLength(3); // header, the F0, the F1
    expect(text).toContain(String(person.fullName));
    const rows = (
      await stack.db.query(`SELECT record_id, record_type, actor_username, fields FROM audit_log WHERE action = 'export' ORDER BY id`)
    ).rows.slice(exportsBefore);
    expect(rows).toHaveLength(2);
    expect(rows.map((r: { record_id: string }) => r.record_id)).toContain(personId);
    expect(rows[0]).toEqual(expect.objectContaining({ record_type: 'person', actor_username: MC.account }));
    expect((await stack.request('GET', `/api/v1/cases/export.csv?unit=${MC.code}`, 'mc.lab')).status).toBe(403);
    expect((await stack.request('GET', `/api/v1/cases/export.csv?unit=${MC.code}`, HL.account)).status).toBe(403);
    expect(await stack.count(`SELECT count(*) FROM audit_log WHERE action = 'export'`)).toBe(exportsBefore + 2);
  });

  it('the audit log: admins search it by actor, record and time; other roles get 403; it cannot be rewritten', async () => {
    const byRecord = await stack.request('GET', `/api/v1/audit?record=${personId}`, 'qn.admin');
    expect(byRecord.status).toBe(200);
    expect(byRecord.body.length).toBe((await auditRows(personId)).length);
    expect(byRecord.body[0]).toEqual(expect.objectContaining({ recordType: 'person', recordId: personId }));
    const byActor = await stack.request('GET', `/api/v1/audit?actor=province.duty&record=${personId}`, 'qn.admin');
    expect(byActor.body.map((r: { actorUsername: string }) => r.actorUsername)).toEqual(['province.duty']);
    const future = await stack.request('GET', `/api/v1/audit?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`, 'qn.admin');
    expect(future.body).toEqual([]);
    expect((await stack.request('GET', '/api/v1/audit', 'province.commander')).status).toBe(403);
    expect((await stack.request('GET', '/api/v1/audit?from=yesterday', 'qn.admin')).status).toBe(400);
    // The admin's own search reads no personal data: nothing is added for it.
    await expect(stack.db.query(`DELETE FROM audit_log WHERE record_id = $1`, [personId])).rejects.toThrow(/append-only/);
  });

  it('a person of another district cannot be registered or used by a district user', async () => {
    const res = await stack.request('POST', '/api/v1/people', MC.account, personBody(HL.code));
    expect(res.status).toBe(403);
    const hl = await stack.request('POST', '/api/v1/people', HL.account, personBody(HL.code));
    const useIt = await stack.request('POST', '/api/v1/cases', MC.account, { personId: hl.body.id, classification: 'F0' });
    // Answered as an unknown person: a district cannot tell another's ids from ids that do not exist.
    expect(useIt.status).toBe(404);
    expect(useIt.body.details).toEqual([{ path: 'body.personId', message: 'no such person' }]);
  });
});
