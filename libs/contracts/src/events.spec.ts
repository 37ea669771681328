import { EVENT_TYPES, parseEventInput } from './events';
import { ingestRequestSchema } from './api';
import { toSlug } from './text';

const base = {
  id: '7b0c7a52-5e1a-4a8e-9a77-1c1f4f0a3b11',
  unit: '194',
  occurredAt: '2021-08-30T09:15:00+07:00',
};

const CENTER = '3f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b15';
const TASK = '5f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b17';
const TEAM = '6f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b18';
const REPORT = '0f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b12';
const LOCKDOWN = '8f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b19';
const DISPATCH_EXAMPLES: Record<string, unknown> = {
  'report.triaged': { reportId: REPORT, priority: 'critical' },
  'report.closed': { reportId: REPORT, reason: 'Tin báo sai' },
  'report.merged': { reportId: REPORT, intoReportId: TASK },
  'task.created': {
    taskId: TASK,
    taskType: 'tracing',
    priority: 'critical',
    reportId: REPORT,
    acknowledgeBy: '2021-08-30T09:20:00+07:00',
    finishBy: '2021-08-30T11:15:00+07:00',
  },
  'task.assigned': { taskId: TASK, teamId: TEAM },
  'task.acknowledged': { taskId: TASK, teamId: TEAM },
  'task.progressed': { taskId: TASK, state: 'en-route' },
  'task.completed': { taskId: TASK },
  'task.cancelled': { taskId: TASK, reason: 'Trùng nhiệm vụ' },
  'task.escalated': {
    taskId: TASK,
    deadline: 'acknowledge',
    level: 1,
    targetUnit: '194',
    source: 'roster',
    staffIds: ['4f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b16'],
    userIds: [],
    due: '2021-08-30T09:20:00+07:00',
  },
  'team.status-changed': { teamId: TEAM, status: 'on-task', previous: 'available', taskId: TASK },
  'zone.level-changed': { level: 'red', previous: 'orange', effectiveAt: '2021-08-30T12:00:00+07:00', decisionRef: '123/QĐ-UBND' },
  'lockdown.declared': {
    lockdownId: LOCKDOWN,
    decisionNumber: '45/QĐ-BCĐ',
    startsAt: '2021-08-30T12:00:00+07:00',
    plannedEnd: '2021-09-13T12:00:00+07:00',
    responsibleTeamId: TEAM,
    checkpoints: 3,
  },
  'lockdown.amended': { lockdownId: LOCKDOWN, decisionNumber: '46/QĐ-BCĐ', plannedEnd: '2021-09-20T12:00:00+07:00' },
  'lockdown.ending-soon': { lockdownId: LOCKDOWN, plannedEnd: '2021-09-20T12:00:00+07:00' },
  'lockdown.lifted': { lockdownId: LOCKDOWN, decisionNumber: '47/QĐ-BCĐ' },
};
const STAFF = '4f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b16';
const CASE = '5f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b17';

const validPayloads: Record<string, unknown> = {
  'case.confirmed': { caseId: 'F0-1', method: 'rt-pcr', source: 'community' },
  'contact.identified': {
    contactId: 'F1-1',
    classification: 'F1',
    sourceCaseId: 'F0-1',
    exposureDate: '2021-08-28',
    setting: 'household',
  },
  'test.resulted': {
    testId: 'T-1',
    sampleId: 'S-1',
    poolId: 'P-1',
    poolSize: 5,
    method: 'antigen',
    result: 'positive',
  },
  'report.received': {
    channel: 'public-form',
    category: 'illegal-entry',
    description: 'Có người lạ vào bản',
    callerPhone: '0912345678',
  },
  'report.acknowledged': { reportId: '0f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b12' },
  'roster.changed': {
    centerId: CENTER,
    change: 'leave',
    recordId: '1f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b13',
  },
  'coverage.gap-detected': {
    centerId: CENTER,
    position: 'duty-officer',
    from: '2021-08-30T07:00:00+07:00',
    to: '2021-08-30T19:00:00+07:00',
    required: 2,
    present: 1,
    urgent: true,
  },
  'coverage.gap-closed': {
    centerId: CENTER,
    position: 'duty-officer',
    from: '2021-08-30T00:00:00Z',
    to: '2021-08-30T12:00:00Z',
  },
  'shift.checked-in': {
    centerId: CENTER,
    position: 'duty-officer',
    staffId: STAFF,
    shiftStart: '2021-08-30T00:00:00Z',
  },
  'shift.missed-check-in': {
    centerId: CENTER,
    position: 'duty-officer',
    staffId: STAFF,
    shiftStart: '2021-08-30T00:00:00Z',
  },
  'shift.handed-over': {
    centerId: CENTER,
    position: 'duty-officer',
    shiftStart: '2021-08-30T00:00:00Z',
    handoverId: '2f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b14',
  },
  'retest.required': {
    retestId: '5f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b17',
    reason: 'pool-positive',
    sourceTestId: '6f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b18',
    sampleId: 'S-1',
    personId: '7f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b19',
    poolId: '8f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b1a',
    requiredMethod: 'rt-pcr',
  },
  'lab-upload.progressed': {
    uploadId: '9f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b1b',
    status: 'processing',
    rowsDone: 2000,
    totalRows: 100000,
    committed: 1998,
    errors: 2,
  },
  'screening.due': {
    programId: 'af8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b1c',
    siteId: 'bf8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b1d',
    dueAt: '2021-08-30T00:00:00Z',
  },
  'screening.overdue': {
    programId: 'af8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b1c',
    personId: '7f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b19',
    dueAt: '2021-08-30T00:00:00Z',
  },
  ...DISPATCH_EXAMPLES,
  'case.status-changed': {
    caseId: CASE,
    classification: 'F1',
    from: 'identified',
    to: 'quarantined',
  },
  'case.reclassified': { caseId: CASE, from: 'F1', to: 'F0', testId: 'T-1' },
  'case.released': { caseId: CASE, classification: 'F1', reason: 'exit-test', automatic: true },
  'case.proposed': { caseId: CASE, testId: 'T-1', method: 'rt-pcr', repositive: false },
  'cluster.detected': {
    clusterId: '6f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b18',
    indexCaseId: CASE,
    size: 5,
    units: ['193', '194'],
  },
};

function issuesFor(raw: unknown): string[] {
  const result = parseEventInput(raw, 'events[0]');
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('event contracts', () => {
  it.each(Object.entries(validPayloads))('accepts a valid %s', (type, payload) => {
    const result = parseEventInput({ ...base, type, payload });
    expect(result.ok).toBe(true);
  });

  it('has a payload example for every catalogued type', () => {
    expect(Object.keys(validPayloads).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('names an unknown type and lists the known ones', () => {
    expect(issuesFor({ ...base, type: 'case.vanished', payload: {} })).toEqual([
      `events[0].type: unknown event type "case.vanished"; known: ${EVENT_TYPES.join(', ')}`,
    ]);
  });

  it('roster payloads carry ids and codes only: a staff name is refused, ids must be uuids', () => {
    const missed = validPayloads['shift.missed-check-in'] as Record<string, unknown>;
    expect(
      issuesFor({
        ...base,
        type: 'shift.missed-check-in',
        payload: { ...missed, fullName: 'Nguyễn Văn A' },
      }),
    ).toEqual(['events[0].payload: unknown field(s): fullName']);
    expect(
      issuesFor({
        ...base,
        type: 'shift.missed-check-in',
        payload: { ...missed, staffId: 'S-1' },
      })[0],
    ).toMatch(/payload\.staffId/);
    expect(
      issuesFor({
        ...base,
        type: 'roster.changed',
        payload: { centerId: CENTER, change: 'rename', recordId: STAFF },
      })[0],
    ).toMatch(/payload\.change/);
  });

  it('rejects unknown fields in the envelope and in the payload, naming them', () => {
    expect(
      issuesFor({
        ...base,
        type: 'case.confirmed',
        payload: validPayloads['case.confirmed'],
        name: 'x',
      }),
    ).toEqual(['events[0]: unknown field(s): name']);
    expect(
      issuesFor({
        ...base,
        type: 'case.confirmed',
        payload: { ...(validPayloads['case.confirmed'] as object), fullName: 'Nguyễn Văn A' },
      }),
    ).toEqual(['events[0].payload: unknown field(s): fullName']);
  });

  it('report.received payload is exactly {channel, category, description 1..2000, callerPhone?}', () => {
    const report = (payload: unknown) => issuesFor({ ...base, type: 'report.received', payload });
    expect(report({ channel: 'hotline', category: 'gathering', description: 'x' })).toEqual([]);
    expect(report({ channel: 'hotline', category: 'gathering', description: '' })[0]).toMatch(
      /^events\[0\]\.payload\.description/,
    );
    expect(
      report({ channel: 'hotline', category: 'gathering', description: 'x'.repeat(2001) })[0],
    ).toMatch(/payload\.description/);
    expect(report({ channel: 'fax', category: 'gathering', description: 'x' })[0]).toMatch(
      /payload\.channel/,
    );
    expect(report({ channel: 'hotline', category: 'riot', description: 'x' })[0]).toMatch(
      /payload\.category/,
    );
    expect(
      report({
        channel: 'hotline',
        category: 'other',
        description: 'x',
        callerPhone: 'call me',
      })[0],
    ).toMatch(/payload\.callerPhone/);
    expect(
      report({ channel: 'hotline', category: 'other', description: 'x', priority: 1 })[0],
    ).toMatch(/unknown field.*priority/);
  });

  it('contact.identified must link to its source case', () => {
    const { sourceCaseId: _omit, ...withoutSource } = validPayloads['contact.identified'] as Record<
      string,
      unknown
    >;
    expect(issuesFor({ ...base, type: 'contact.identified', payload: withoutSource })[0]).toMatch(
      /payload\.sourceCaseId/,
    );
  });

  it('checks envelope types: id uuid, ISO time with offset, location in range, drill boolean', () => {
    const ok = { ...base, type: 'case.confirmed', payload: validPayloads['case.confirmed'] };
    expect(issuesFor({ ...ok, id: 'not-a-uuid' })[0]).toMatch(/events\[0\]\.id/);
    expect(issuesFor({ ...ok, occurredAt: '30/08/2021' })[0]).toMatch(/events\[0\]\.occurredAt/);
    expect(issuesFor({ ...ok, location: { lat: 21, lon: 190 } })[0]).toMatch(
      /events\[0\]\.location\.lon/,
    );
    expect(issuesFor({ ...ok, drill: 'yes' })[0]).toMatch(/events\[0\]\.drill/);
    expect(issuesFor({ ...ok, unit: 'Móng Cái' })[0]).toMatch(/events\[0\]\.unit/);
    expect(issuesFor({ ...ok, id: undefined })).toEqual([]);
  });

  it('limits a batch to 1..1000 events and rejects unknown top-level fields', () => {
    expect(ingestRequestSchema.safeParse({ events: [] }).success).toBe(false);
    expect(ingestRequestSchema.safeParse({ events: new Array(1001).fill({}) }).success).toBe(false);
    expect(ingestRequestSchema.safeParse({ events: [{}], extra: true }).success).toBe(false);
    expect(ingestRequestSchema.safeParse({ events: [{}] }).success).toBe(true);
  });
});

describe('toSlug', () => {
  it.each([
    ['Móng Cái', 'mong-cai'],
    ['Đông Triều', 'dong-trieu'],
    ['Hạ Long', 'ha-long'],
    ['Cô Tô', 'co-to'],
    ['Đầm Hà', 'dam-ha'],
  ])('%s -> %s', (name, slug) => expect(toSlug(name)).toBe(slug));
});

describe('case event contracts', () => {
  it('carry case ids only: a name or a non-uuid case id is refused', () => {
    const payload = { caseId: '5f8c7a52-5e1a-4a8e-9a77-1c1f4f0a3b17', testId: 'T-1', method: 'rt-pcr', repositive: false };
    expect(issuesFor({ ...base, type: 'case.proposed', payload: { ...payload, fullName: 'Nguyễn Văn A' } })).toEqual([
      'events[0].payload: unknown field(s): fullName',
    ]);
    expect(issuesFor({ ...base, type: 'case.proposed', payload: { ...payload, caseId: 'F0-1' } })[0]).toMatch(/payload\.caseId/);
  });
});
