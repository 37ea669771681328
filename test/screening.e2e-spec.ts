import { randomUUID } from 'node:crypto';
import { QUEUES } from '@frontline/queue';
import { createPeople } from './support/cases';
import { LabResultFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('screening programs: due, overdue, coverage, events', () => {
  const stack = new TestStack({ env: { SCREENING_CHECK_INTERVAL_MS: '1000' } });
  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('lab.province', 'lab', '22');
    [P1] = await createPeople(stack, 'province.duty', '194');
    [P2] = await createPeople(stack, 'province.duty', '193');
  }, 90_000);
  afterAll(() => stack.stop());

  // People of the case registry (screening_enrolments references them).
  let P1: string;
  let P2: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  let program: any;
  const site = (name: string) => program.sites.find((s: { name: string }) => s.name === name).id as string;

  it('sets up a program and computes who and which site is due or overdue from the lab results', async () => {
    const res = await stack.request('POST', '/api/v1/screening/programs', 'province.duty', {
      name: 'Công nhân điểm giao nhận hàng',
      targetGroup: 'delivery-point-workers',
      unit: '22',
      cadence: 'daily',
      graceHours: 12,
      startsAt: ago(72 * HOUR),
      sites: [
        { name: 'Cửa khẩu Bắc Luân', unit: '194', lat: 21.54, lon: 107.96 },
        { name: 'Cảng Cái Lân', unit: '193', lat: 20.97, lon: 107.05 },
        { name: 'Chợ Hạ Long 1', unit: '193', lat: 20.95, lon: 107.08 },
      ],
      people: [
        { personId: P1, unit: '194', site: 0 },
        { personId: P2, unit: '193' },
      ],
    });
    expect(res.status).toBe(201);
    program = res.body;
    expect(program).toEqual(expect.objectContaining({ cadenceDays: 1, graceHours: 12, people: 2 }));

    // Results count toward the program: one naming the site, one of an enrolled person.
    const tested = (collectedAt: string, fields: Record<string, unknown>) =>
      stack.request('POST', '/api/v1/lab-results', 'lab.province', LabResultFactory.antigen('negative').with({ collectedAt, ...fields }).build());
    expect((await tested(ago(30 * HOUR), { unit: '193', programId: program.id, siteId: site('Cảng Cái Lân') })).status).toBe(201);
    expect((await tested(ago(1 * HOUR), { unit: '194', personId: P1 })).status).toBe(201);

    const status = await stack.request('GET', `/api/v1/screening/status?unit=22&programId=${program.id}`, 'province.duty');
    expect(status.status).toBe(200);
    const bySite = Object.fromEntries(status.body.sites.map((s: { name: string; status: string }) => [s.name, s.status]));
    // Bắc Luân: its worker P1 was tested an hour ago. Cái Lân: tested 30 h ago (due 6 h ago, grace 12 h).
    // Chợ Hạ Long 1: never tested, due since the start 3 days ago.
    expect(bySite).toEqual({ 'Cửa khẩu Bắc Luân': 'ok', 'Cảng Cái Lân': 'due', 'Chợ Hạ Long 1': 'overdue' });
    const byPerson = Object.fromEntries(status.body.people.map((p: { personId: string; status: string }) => [p.personId, p.status]));
    expect(byPerson).toEqual({ [P1]: 'ok', [P2]: 'overdue' });

    const coverage = await stack.request('GET', `/api/v1/screening/coverage?unit=22&programId=${program.id}`, 'province.duty');
    expect(coverage.body.total).toEqual({
      sites: { total: 3, ok: 1, due: 1, overdue: 1, coverage: 0.333 },
      people: { total: 2, ok: 1, due: 0, overdue: 1, coverage: 0.5 },
    });
    expect(coverage.body.units).toEqual([
      { unit: '193', sites: { total: 2, ok: 0, due: 1, overdue: 1, coverage: 0 }, people: { total: 1, ok: 0, due: 0, overdue: 1, coverage: 0 } },
      { unit: '194', sites: { total: 1, ok: 1, due: 0, overdue: 0, coverage: 1 }, people: { total: 1, ok: 1, due: 0, overdue: 0, coverage: 1 } },
    ]);

    // The board's program list: each active program with its counts in the unit asked for.
    const programs = await stack.request('GET', '/api/v1/screening/programs?unit=193', 'ha-long.duty');
    expect(programs.status).toBe(200);
    expect(programs.body.programs).toEqual([
      expect.objectContaining({
        id: program.id,
        name: 'Công nhân điểm giao nhận hàng',
        sites: { total: 2, ok: 0, due: 1, overdue: 1, coverage: 0 },
        people: { total: 1, ok: 0, due: 0, overdue: 1, coverage: 0 },
      }),
    ]);

    // The map layer: overdue sites first, with their place.
    const map = await stack.request('GET', `/api/v1/screening/sites?unit=22&programId=${program.id}`, 'province.duty');
    expect(map.body.sites.map((s: { status: string }) => s.status)).toEqual(['overdue', 'due', 'ok']);
    expect(map.body.sites[0]).toEqual(expect.objectContaining({ name: 'Chợ Hạ Long 1', unit: '193', lat: 20.95, lon: 107.08, lastTestedAt: null }));

    // A district sees its own part only; another district's is refused.
    const own = await stack.request('GET', `/api/v1/screening/sites?unit=194`, 'mong-cai.duty');
    expect(own.body.sites.map((s: { name: string }) => s.name)).toEqual(['Cửa khẩu Bắc Luân']);
    expect((await stack.request('GET', '/api/v1/screening/coverage?unit=194', 'ha-long.duty')).status).toBe(403);
  });

  it('refuses a program with a bad cadence or a site outside its unit, and from a lab user', async () => {
    const base = { name: 'Giáo viên', targetGroup: 'teachers', unit: '194', cadence: 'every-n-days', everyDays: 3 };
    const noDays = await stack.request('POST', '/api/v1/screening/programs', 'mong-cai.duty', { ...base, everyDays: undefined });
    expect(noDays.body.details).toEqual([{ path: 'body.everyDays', message: 'required with cadence every-n-days' }]);
    const outside = await stack.request('POST', '/api/v1/screening/programs', 'mong-cai.duty', {
      ...base,
      sites: [{ name: 'Trường THCS', unit: '193', lat: 21, lon: 107 }],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.details).toEqual([{ path: 'body.sites.0.unit', message: 'not within 194' }]);
    expect((await stack.request('POST', '/api/v1/screening/programs', 'lab.province', base)).status).toBe(403);
    const unknown = await stack.request('POST', '/api/v1/screening/programs', 'mong-cai.duty', {
      ...base,
      people: [{ personId: randomUUID(), unit: '194' }],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toEqual([{ path: 'body.people.0.personId', message: 'no such person' }]);
    expect((await stack.request('POST', '/api/v1/screening/programs', 'mong-cai.duty', base)).status).toBe(201);
  });

  it('the scheduled check raises screening.due / screening.overdue once per due time, and a new test clears the site', async () => {
    const count = (type: string, field: string, id: string) =>
      stack.count(`SELECT count(*) FROM event_log WHERE type = $1 AND payload->>$2 = $3`, [type, field, id]);
    await waitFor('screening alerts', async () =>
      (await count('screening.due', 'siteId', site('Cảng Cái Lân'))) === 1 &&
      (await count('screening.overdue', 'siteId', site('Chợ Hạ Long 1'))) === 1 &&
      (await count('screening.overdue', 'personId', P2)) === 1,
    30_000, 250);
    await stack.checkRuns(QUEUES.screeningChecks, 2);
    expect(await count('screening.due', 'siteId', site('Cảng Cái Lân'))).toBe(1);
    expect(await count('screening.overdue', 'siteId', site('Chợ Hạ Long 1'))).toBe(1);
    expect(await count('screening.overdue', 'personId', P2)).toBe(1);
    expect(await count('screening.due', 'siteId', site('Cửa khẩu Bắc Luân'))).toBe(0);
    const [event] = (await stack.db.query(`SELECT unit_code, payload FROM event_log WHERE type = 'screening.overdue' AND payload->>'siteId' = $1`, [site('Chợ Hạ Long 1')])).rows;
    expect(event).toEqual({ unit_code: '193', payload: { programId: program.id, siteId: site('Chợ Hạ Long 1'), dueAt: expect.any(String) } });

    // Chợ Hạ Long 1 is tested now: it is ok again.
    await stack.request('POST', '/api/v1/lab-results', 'lab.province', LabResultFactory.rtPcr('negative').with({ unit: '193', programId: program.id, siteId: site('Chợ Hạ Long 1') }).build());
    const status = await stack.request('GET', `/api/v1/screening/status?unit=193&programId=${program.id}`, 'province.duty');
    expect(status.body.sites.find((s: { name: string }) => s.name === 'Chợ Hạ Long 1').status).toBe('ok');
  });
});
