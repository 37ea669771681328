import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { ScratchDatabase } from '@frontline/database/testing';
import { dayIn, EventStore } from '@frontline/spine';
import { addDays } from './machine';
import { CaseEngine, CaseRules } from './case-engine';

const RULES: CaseRules = {
  monitoringDays: { F0: 21, F1: 14, F2: 14, suspected: 14 },
  autoConfirmRtPcr: false,
  clusterMinSize: 3,
  timeZone: 'Asia/Ho_Chi_Minh',
};
const PATH = ['22', '194'];

describe('CaseEngine against PostgreSQL', () => {
  const scratch = new ScratchDatabase('fl_cases');
  let ds: DataSource;
  let engine: CaseEngine;
  let auto: CaseEngine;

  const person = async (): Promise<string> =>
    (
      (await ds.query(
        `INSERT INTO people (full_name, unit_code, unit_path, created_by) VALUES ('Người Thử', '194', $1, 'test') RETURNING id`,
        [PATH],
      )) as { id: string }[]
    )[0].id;
  const create = async (e: CaseEngine, input: Partial<Parameters<CaseEngine['create']>[1]>) =>
    ds.transaction((em) =>
      e.create(em, { personId: input.personId!, classification: 'F0', unitCode: '194', unitPath: PATH, ...input } as never, 'user:test'),
    );
  const load = (id: string) => ds.transaction((em) => engine.load(em, id));
  const types = async (id: string) =>
    ((await ds.query(`SELECT type FROM event_log WHERE payload->>'caseId' = $1 ORDER BY seq`, [id])) as { type: string }[]).map(
      (r) => r.type,
    );
  const result = (e: CaseEngine, caseId: string, res: 'positive' | 'negative', method: 'rt-pcr' | 'antigen' = 'rt-pcr') =>
    ds.transaction((em) =>
      e.applyResult(em, { caseId }, { testId: `T-${randomUUID()}`, method, result: res, takenAt: new Date().toISOString() }, 'system:test'),
    );

  beforeAll(async () => {
    await scratch.create();
    ds = createDataSource(scratch.url, 2);
    await ds.initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    engine = new CaseEngine(new EventStore(ds), RULES);
    auto = new CaseEngine(new EventStore(ds), { ...RULES, autoConfirmRtPcr: true });
  });
  afterAll(async () => {
    await ds?.destroy();
    await scratch.drop();
  });

  it('releases an F1 at the end of monitoring on a negative result, not before', async () => {
    const f0 = await create(engine, { personId: await person() });
    const today = dayIn(RULES.timeZone);
    const early = await create(engine, {
      personId: await person(),
      classification: 'F1',
      sourceCaseId: f0.id,
      exposure: { date: addDays(today, -3), setting: 'household' },
    });
    const due = await create(engine, {
      personId: await person(),
      classification: 'F1',
      sourceCaseId: f0.id,
      exposure: { date: addDays(today, -15), setting: 'household' },
    });
    await result(engine, early.id, 'negative');
    await result(engine, due.id, 'negative');
    expect((await load(early.id))!.status).toBe('tested');
    expect((await load(due.id))!.status).toBe('released');
    expect(await types(due.id)).toEqual(['case.status-changed', 'case.released']);
  });

  it('the scheduled check releases contacts whose monitoring ended after their negative exit test', async () => {
    const today = dayIn(RULES.timeZone);
    const c = await create(engine, { personId: await person(), classification: 'suspected', monitoringStart: addDays(today, -14) });
    // The exit test was taken yesterday, before the last day: no release then.
    await ds.query(`UPDATE cases SET exit_test_at = now() - interval '1 day', status = 'tested' WHERE id = $1`, [c.id]);
    const events = await ds.transaction((em) => engine.releaseDue(em, 'system:test'));
    expect(events.map((e) => [e.type, e.payload.caseId])).toEqual([['case.released', c.id]]);
    expect((await load(c.id))!.status).toBe('released');
    expect(await ds.transaction((em) => engine.releaseDue(em, 'system:test'))).toEqual([]);
  });

  it('auto-confirms an F1 on a positive RT-PCR when configured, proposes on antigen', async () => {
    const f0 = await create(engine, { personId: await person() });
    const a = await create(auto, { personId: await person(), classification: 'F1', sourceCaseId: f0.id, exposure: { date: dayIn(RULES.timeZone), setting: 'market' } });
    const b = await create(auto, { personId: await person(), classification: 'F1', sourceCaseId: f0.id, exposure: { date: dayIn(RULES.timeZone), setting: 'market' } });
    await result(auto, a.id, 'positive', 'rt-pcr');
    await result(auto, b.id, 'positive', 'antigen');
    expect(await load(a.id)).toEqual(expect.objectContaining({ classification: 'F0', status: 'admitted' }));
    expect(await load(b.id)).toEqual(expect.objectContaining({ classification: 'F1', status: 'tested' }));
    expect(await types(a.id)).toEqual(['case.status-changed', 'case.reclassified', 'case.confirmed']);
    expect(await types(b.id)).toEqual(['case.status-changed', 'case.proposed']);
  });

  it('detects a cluster once when the tree reaches the size, and keeps its size up to date', async () => {
    const f0 = await create(engine, { personId: await person() });
    for (let i = 0; i < 4; i++)
      await create(engine, { personId: await person(), classification: 'F1', sourceCaseId: f0.id, exposure: { date: dayIn(RULES.timeZone), setting: 'school' } });
    const detected = (await ds.query(`SELECT payload FROM event_log WHERE type = 'cluster.detected' AND payload->>'indexCaseId' = $1`, [
      f0.id,
    ])) as { payload: { size: number; units: string[] } }[];
    expect(detected).toHaveLength(1);
    expect(detected[0].payload).toEqual(expect.objectContaining({ size: 3, units: ['194'] }));
    const [cluster] = (await ds.query(`SELECT size FROM case_clusters WHERE index_case_id = $1`, [f0.id])) as { size: number }[];
    expect(cluster.size).toBe(5);
    expect(Number((await ds.query(`SELECT count(*) FROM cases WHERE cluster_id IS NOT NULL AND (id = $1 OR source_case_id = $1)`, [f0.id]))[0].count)).toBe(5);
  });
});
