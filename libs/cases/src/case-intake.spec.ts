import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLogRepository, AuditService } from '@frontline/audit';
import type { EventInput } from '@frontline/contracts';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { ScratchDatabase } from '@frontline/database/testing';
import { AppendItem, EventStore } from '@frontline/spine';
import { CaseEngine } from './case-engine';
import { CaseIntake, CaseIntakeRefusal, Submitter } from './case-intake';

const PATH = ['22', '194'];
const BY: Submitter = { actor: 'user:integration', audit: { userId: 'u-1', username: 'cdc.integration', role: 'duty-officer' }, jurisdiction: '22' };
const AT = '2026-12-07T03:04:05.000Z';

const item = (type: string, payload: Record<string, unknown>, extra: Partial<EventInput> = {}): AppendItem => ({
  input: { id: randomUUID(), type, unit: '194', occurredAt: AT, location: { lat: 21.52345, lon: 107.96789 }, payload, ...extra } as EventInput,
  unitPath: PATH,
});
const confirmed = (caseId: string, extra: Record<string, unknown> = {}) =>
  item('case.confirmed', { caseId, method: 'rt-pcr', source: 'community', ...extra });
const contact = (contactId: string, sourceCaseId: string, classification: 'F1' | 'F2' = 'F1') =>
  item('contact.identified', { contactId, classification, sourceCaseId, exposureDate: '2026-12-05', setting: 'household' });

describe('CaseIntake: integration events become registry records', () => {
  const scratch = new ScratchDatabase('fl_case_intake');
  let ds: DataSource;
  let intake: CaseIntake;

  const take = (i: AppendItem) => ds.transaction((em) => intake.take(em, i, i.input.id!, BY));
  const caseOf = async (reference: string): Promise<Record<string, unknown> | undefined> =>
    (
      await ds.query(
        `SELECT c.*, c.monitoring_start::text AS monitoring_start FROM case_references r JOIN cases c ON c.id = r.case_id
         WHERE r.reference = $1`,
        [reference],
      )
    )[0];
  const count = async (sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].count);

  beforeAll(async () => {
    await scratch.create();
    ds = createDataSource(scratch.url, 2);
    await ds.initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    const engine = new CaseEngine(new EventStore(ds), {
      monitoringDays: { F0: 21, F1: 14, F2: 14, suspected: 14 },
      autoConfirmRtPcr: false,
      clusterMinSize: 5,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    intake = new CaseIntake(engine, new AuditService(new AuditLogRepository(ds)));
  });
  afterAll(async () => {
    await ds?.destroy();
    await scratch.drop();
  });

  it('registers a case.confirmed as an F0 of an unnamed person, its history and its event keeping the submitted id and time', async () => {
    const sent = confirmed('F0-A', { ageBand: '40-59', sex: 'female' });
    const out = await take(sent);
    const f0 = (await caseOf('F0-A'))!;
    expect(f0).toEqual(expect.objectContaining({ classification: 'F0', status: 'admitted', unit_code: '194', created_by: BY.actor }));
    expect(out.created.map((e) => [e.id, e.type, e.occurredAt])).toEqual([[sent.input.id, 'case.confirmed', AT]]);
    expect(out.created[0].payload).toEqual({ caseId: f0.id, method: 'rt-pcr', source: 'community', ageBand: '40-59', sex: 'female' });
    // The map point: the person's place, rounded to about 100 m.
    expect(out.created[0].location).toEqual({ lat: 21.523, lon: 107.968 });
    expect(out.accepted).toEqual({ id: sent.input.id, seq: out.created[0].seq });
    const [person] = await ds.query(`SELECT full_name, sex, unit_code FROM people WHERE id = $1`, [f0.person_id]);
    expect(person).toEqual({ full_name: null, sex: 'female', unit_code: '194' });
    const history = await ds.query(`SELECT to_classification, to_status, event_id, actor FROM case_status_history WHERE case_id = $1`, [f0.id]);
    expect(history).toEqual([{ to_classification: 'F0', to_status: 'admitted', event_id: sent.input.id, actor: BY.actor }]);
    expect(await count(`SELECT count(*) FROM audit_log WHERE record_id = $1 AND action = 'change'`, [f0.person_id])).toBe(1);

    // The same event again: nothing new, the same answer.
    const again = await take(sent);
    expect(again).toEqual({ accepted: out.accepted, created: [] });
    expect(await count(`SELECT count(*) FROM cases`)).toBe(1);
  });

  it('links contacts to their source, and an F1 confirmed under a new id becomes the F0 on the same row', async () => {
    await take(confirmed('F0-B'));
    const f0 = (await caseOf('F0-B'))!;
    const f1Event = contact('F1-B1', 'F0-B');
    const out = await take(f1Event);
    const f1 = (await caseOf('F1-B1'))!;
    expect(f1).toEqual(expect.objectContaining({ classification: 'F1', status: 'identified', source_case_id: f0.id, exposure_setting: 'household' }));
    expect(out.created[0]).toEqual(expect.objectContaining({ id: f1Event.input.id, type: 'contact.identified' }));
    expect(out.created[0].payload).toEqual(expect.objectContaining({ contactId: f1.id, sourceCaseId: f0.id, classification: 'F1' }));

    await take(contact('F2-B1', 'F1-B1', 'F2'));
    expect((await caseOf('F2-B1'))!).toEqual(expect.objectContaining({ classification: 'F2', source_case_id: f1.id }));

    const positive = confirmed('F0-B2', { previousCaseId: 'F1-B1', source: 'quarantine' });
    const reclassified = await take(positive);
    expect(reclassified.created.map((e) => e.type)).toEqual(['case.reclassified', 'case.confirmed']);
    expect(reclassified.created[1].id).toBe(positive.input.id);
    expect((await caseOf('F0-B2'))!.id).toBe(f1.id);
    expect((await caseOf('F1-B1'))!).toEqual(expect.objectContaining({ classification: 'F0', status: 'admitted' }));

    // A contact of the former F1, sent as an F2, is now a contact of an F0: an F1.
    await take(contact('F2-B2', 'F1-B1', 'F2'));
    expect((await caseOf('F2-B2'))!).toEqual(expect.objectContaining({ classification: 'F1', source_case_id: f1.id }));
  });

  it('writes nothing for a fact already recorded under another event id, and answers with the event holding it', async () => {
    const first = await take(confirmed('F0-C'));
    const second = await take(confirmed('F0-C'));
    expect(second.created).toEqual([]);
    expect(second.accepted.seq).toBe(first.accepted.seq);
    const f1 = await take(contact('F1-C1', 'F0-C'));
    const repeated = await take(contact('F1-C1', 'F0-C'));
    expect(repeated).toEqual({ accepted: { id: expect.any(String), seq: f1.accepted.seq }, created: [] });
    expect(await count(`SELECT count(*) FROM cases c JOIN case_references r ON r.case_id = c.id WHERE r.reference IN ('F0-C', 'F1-C1')`)).toBe(2);
  });

  it("answers a case of another district as unknown: a Hạ Long sender reaches no Móng Cái case, by reference or by id", async () => {
    await take(confirmed('F0-E'));
    const f0 = (await caseOf('F0-E'))!;
    const haLong: Submitter = { ...BY, jurisdiction: '193' };
    const takeAs = (i: AppendItem) => ds.transaction((em) => intake.take(em, i, i.input.id!, haLong));
    await expect(takeAs(contact('F1-E1', 'F0-E'))).rejects.toMatchObject({ field: 'sourceCaseId', reason: 'unknown' });
    await expect(takeAs(contact('F1-E2', String(f0.id)))).rejects.toMatchObject({ field: 'sourceCaseId', reason: 'unknown' });
    await expect(takeAs(confirmed('F0-E'))).rejects.toMatchObject({ field: 'caseId', reason: 'unknown' });
    await expect(takeAs(confirmed('F0-E9', { previousCaseId: 'F0-E' }))).rejects.toMatchObject({ field: 'previousCaseId', reason: 'unknown' });
    const test = (payload: Record<string, unknown>) => item('test.resulted', { testId: 'T-E', sampleId: 'S-E', method: 'rt-pcr', result: 'positive', ...payload });
    const refused = await intake.unreachableTests(ds, [test({ caseId: 'F0-E' }), test({ caseId: f0.id }), test({ caseId: randomUUID() }), test({ caseId: 'THEIRS-1' }), test({ personId: f0.person_id })], '193');
    expect(refused).toEqual([{ index: 0, field: 'caseId' }, { index: 1, field: 'caseId' }, { index: 2, field: 'caseId' }, { index: 4, field: 'personId' }]);
    expect(await intake.unreachableTests(ds, [test({ caseId: 'F0-E' }), test({ personId: f0.person_id })], '194')).toEqual([]);
    expect(await count(`SELECT count(*) FROM case_references WHERE reference LIKE 'F1-E%' OR reference = 'F0-E9'`)).toBe(0);
  });

  it('refuses a contact of a case it does not know, naming the field; drills are not its to take', async () => {
    const orphan = contact('F1-X', 'F0-nobody');
    await expect(take(orphan)).rejects.toEqual(expect.any(CaseIntakeRefusal));
    await expect(take(orphan)).rejects.toMatchObject({ field: 'sourceCaseId', message: expect.stringMatching(/F0-nobody/) });
    expect(await caseOf('F1-X')).toBeUndefined();
    expect(intake.owns(confirmed('F0-D', {}))).toBe(true);
    expect(intake.owns({ ...confirmed('F0-D'), input: { ...confirmed('F0-D').input, drill: true } })).toBe(false);
    expect(intake.owns(item('report.received', {}))).toBe(false);
  });

  it('names the registry case in test results that name a known reference', async () => {
    await take(confirmed('F0-E'));
    const f0 = (await caseOf('F0-E'))!;
    const test = (caseId: string) => item('test.resulted', { testId: `T-${caseId}`, sampleId: 'S-1', method: 'rt-pcr', result: 'negative', caseId });
    const [known, unknown] = await ds.transaction((em) => intake.resolveTests(em, [test('F0-E'), test('F0-unknown')]));
    expect(known.input.payload).toEqual(expect.objectContaining({ caseId: f0.id }));
    expect(unknown.input.payload).toEqual(expect.objectContaining({ caseId: 'F0-unknown' }));
  });
});
