import type { AcknowledgeResponse, EventDetailResponse, SnapshotResponse } from '@frontline/contracts';
import { DISTRICTS, EventFactory } from './support/factories';
import { LiveClient } from './support/live-client';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const PHONE = '0912 345 678';
const LAB = 'lab.test';

interface AuditRow {
  actor_user_id: string;
  actor_username: string;
  actor_role: string;
  action: string;
  record_type: string;
  record_id: string;
  fields: string[];
  unit_code: string;
  client_ip: string | null;
  user_agent: string | null;
}

describe('event detail (personal data, audited) and report acknowledgement', () => {
  // Info-level logs, so the api's output holds every request line the test inspects.
  const stack = new TestStack({ env: { LOG_LEVEL: 'info' } });
  beforeAll(async () => {
    await stack.start();
    await stack.createAccount(LAB, 'lab', '22');
  }, 60_000);
  afterAll(() => stack.stop());

  const auditRows = async (recordId: string): Promise<AuditRow[]> =>
    (await stack.db.query('SELECT * FROM audit_log WHERE record_id = $1 ORDER BY id', [recordId])).rows;
  const detail = (id: string, username: string | null) => stack.request('GET', `/api/v1/events/${id}`, username);
  const acknowledge = (id: string, username: string, body: unknown = {}) =>
    stack.request('POST', `/api/v1/reports/${id}/acknowledge`, username, body);
  const snapshot = async (unit: string): Promise<SnapshotResponse> =>
    (await stack.request('GET', `/api/v1/snapshot?unit=${unit}`, 'province.duty')).body;

  describe('GET /api/v1/events/:id', () => {
    const report = EventFactory.reportReceived().inUnit(DISTRICTS.mongCai.code).at(21.52345, 107.96789).build();
    const confirmed = EventFactory.caseConfirmed().inUnit(DISTRICTS.mongCai.code).build();
    beforeAll(() => stack.postEvents('province.duty', [report, confirmed]));

    it('grants a duty officer of the unit the personal fields, with exactly one audit row per read', async () => {
      const first = await detail(report.id, DISTRICTS.mongCai.account);
      expect(first.status).toBe(200);
      const body = first.body as EventDetailResponse;
      expect(body.personalAccess).toBe('granted');
      expect(body.personal).toEqual({ callerPhone: PHONE });
      expect(body.event).toEqual(
        expect.objectContaining({ id: report.id, type: 'report.received', unit: '194', unitPath: ['22', '194'] }),
      );
      expect(body.event.location).toEqual({ lat: 21.523, lon: 107.968 });
      expect(body.event.payload).not.toHaveProperty('callerPhone');
      expect(body.acknowledgement).toBeNull();

      const rows = await auditRows(report.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual(
        expect.objectContaining({
          actor_username: DISTRICTS.mongCai.account,
          actor_role: 'duty-officer',
          action: 'read',
          record_type: 'event',
          record_id: report.id,
          fields: ['callerPhone'],
          unit_code: '194',
        }),
      );
      expect(rows[0].actor_user_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(rows[0].client_ip).toMatch(/127\.0\.0\.1/);
      expect(rows[0].user_agent).toBeTruthy();
      expect(JSON.stringify(rows)).not.toContain(PHONE);

      expect((await detail(report.id, DISTRICTS.mongCai.account)).body.personalAccess).toBe('granted');
      expect((await detail(report.id, 'province.commander')).body.personal).toEqual({ callerPhone: PHONE });
      const after = await auditRows(report.id);
      expect(after.map((r) => r.actor_username)).toEqual([DISTRICTS.mongCai.account, DISTRICTS.mongCai.account, 'province.commander']);
    });

    it('tells a lab user the fields exist but not what they are, and audits nothing', async () => {
      const before = (await auditRows(report.id)).length;
      const res = await detail(report.id, LAB);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ personalAccess: 'not-allowed', personal: null }));
      expect(res.body.event.id).toBe(report.id);
      expect(JSON.stringify(res.body)).not.toContain(PHONE);
      expect(await auditRows(report.id)).toHaveLength(before);
    });

    it('says "none" for an event without personal data and audits nothing', async () => {
      const res = await detail(confirmed.id, DISTRICTS.mongCai.account);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ personalAccess: 'none', personal: null, acknowledgement: null }));
      expect(await auditRows(confirmed.id)).toEqual([]);
    });

    it('is 404 outside the jurisdiction, as when unknown, without saying anything about the event, 400 for a bad id', async () => {
      const before = (await auditRows(report.id)).length;
      const other = await detail(report.id, DISTRICTS.haLong.account);
      expect(other.status).toBe(404);
      expect(JSON.stringify(other.body)).not.toMatch(/194|report|Móng Cái|callerPhone/);
      expect(await auditRows(report.id)).toHaveLength(before);

      const unknown = await detail('3f0b5c1e-9a55-4d7b-8f39-5a5f8f0f2b11', 'province.duty');
      expect(unknown.status).toBe(404);
      const bad = await detail('not-a-uuid', 'province.duty');
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].path).toBe('params.id');
      expect((await detail(report.id, null)).status).toBe(401);
    });

    it('returns no personal data when its audit row cannot be written', async () => {
      await stack.db.query(
        `ALTER TABLE audit_log ADD CONSTRAINT test_refuses_mong_cai CHECK (actor_username <> '${DISTRICTS.mongCai.account}') NOT VALID`,
      );
      try {
        const before = (await auditRows(report.id)).length;
        const res = await detail(report.id, DISTRICTS.mongCai.account);
        expect(res.status).toBe(500);
        expect(JSON.stringify(res.body)).not.toContain(PHONE);
        expect(await auditRows(report.id)).toHaveLength(before);
      } finally {
        await stack.db.query('ALTER TABLE audit_log DROP CONSTRAINT test_refuses_mong_cai');
      }
    });

    it('never writes a personal value to the api\'s log', async () => {
      const output = stack.apis[0].output;
      // The reads above are in the log, by their route's template (so the check below looks at
      // the right text)...
      expect(output).toContain('/api/v1/events/:id');
      // ...and the phone number is not, in any spelling.
      expect(output).not.toContain(PHONE);
      expect(output).not.toContain(PHONE.replace(/ /g, ''));
      expect(stack.worker.output).not.toContain(PHONE);
    });
  });

  describe('audit_log is append-only in the database', () => {
    it('refuses UPDATE, DELETE and TRUNCATE', async () => {
      const before = await stack.count('SELECT count(*) FROM audit_log');
      expect(before).toBeGreaterThan(0);
      await expect(stack.db.query(`UPDATE audit_log SET actor_username = 'someone-else'`)).rejects.toThrow(/append-only/);
      await expect(stack.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(stack.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect(await stack.count('SELECT count(*) FROM audit_log')).toBe(before);
      expect(await stack.count(`SELECT count(*) FROM audit_log WHERE actor_username = 'someone-else'`)).toBe(0);
    });
  });

  describe('POST /api/v1/reports/:id/acknowledge', () => {
    it('creates one report.acknowledged event that other consoles see live; a second call finds it', async () => {
      const report = EventFactory.reportReceived('quarantine-violation').inUnit(DISTRICTS.mongCai.code).build();
      await stack.postEvents('province.duty', [report]);
      const waiting = await waitFor('report waiting in the snapshot', async () =>
        (await snapshot('194')).unacknowledged.some((e) => e.id === report.id),
      );
      expect(waiting).toBe(true);
      const before = await snapshot('194');
      const province = await new LiveClient(stack.apiUrl, await stack.token('province.commander')).connect(before.cursor ?? undefined);
      const haLong = await new LiveClient(stack.apiUrl, await stack.token(DISTRICTS.haLong.account)).connect();

      const first = await acknowledge(report.id, DISTRICTS.mongCai.account, { note: 'Đã cử tổ kiểm tra' });
      expect(first.status).toBe(201);
      const ack = first.body as AcknowledgeResponse;
      expect(ack).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), seq: expect.any(Number), alreadyAcknowledged: false });

      const pushed = await waitFor('acknowledgement at the province console', () =>
        province.events.find((e) => e.type === 'report.acknowledged' && e.payload.reportId === report.id),
      );
      expect(pushed).toEqual(
        expect.objectContaining({ id: ack.id, seq: ack.seq, unit: '194', unitPath: ['22', '194'], payload: { reportId: report.id, note: 'Đã cử tổ kiểm tra' } }),
      );
      expect(pushed).not.toHaveProperty('actor');

      const again = await acknowledge(report.id, 'province.duty');
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ id: ack.id, seq: ack.seq, alreadyAcknowledged: true });

      const after = await waitFor('report gone from the waiting list', async () => {
        const s = await snapshot('194');
        return s.unacknowledged.some((e) => e.id === report.id) ? null : s;
      });
      expect(after!.unacknowledged.length).toBe(before.unacknowledged.length - 1);
      // Acknowledged is not closed: the report still counts as open.
      expect(after!.counters.openReports).toBe(before.counters.openReports);

      const shown = (await detail(report.id, 'province.duty')).body as EventDetailResponse;
      expect(shown.acknowledgement).toEqual({ at: expect.any(String), by: DISTRICTS.mongCai.account });
      const row = (await stack.db.query('SELECT acknowledged_by, acknowledgement_id FROM urgent_reports WHERE report_id = $1', [report.id])).rows[0];
      expect(row.acknowledgement_id).toBe(ack.id);
      expect(row.acknowledged_by).toMatch(/^user:/);

      // A second acknowledgement, or one pushed to Hạ Long, would arrive before the sentinel.
      const sentinel = await stack.postSentinel(DISTRICTS.haLong.code);
      await Promise.all([province.waitForEvent(sentinel), haLong.waitForEvent(sentinel)]);
      province.disconnect();
      haLong.disconnect();
      expect(province.events.filter((e) => e.type === 'report.acknowledged' && e.payload.reportId === report.id)).toHaveLength(1);
      expect(haLong.events.some((e) => e.type === 'report.acknowledged')).toBe(false);
    });

    it('is exactly once under concurrent calls from two consoles', async () => {
      const report = EventFactory.reportReceived('gathering').inUnit(DISTRICTS.mongCai.code).build();
      await stack.postEvents('province.duty', [report]);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => acknowledge(report.id, i % 2 ? 'province.duty' : DISTRICTS.mongCai.account)),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(new Set(answers.map((a) => a.body.seq)).size).toBe(1);
      expect(answers.filter((a) => a.body.alreadyAcknowledged === false)).toHaveLength(1);
      expect(
        await stack.count(`SELECT count(*) FROM event_log WHERE type = 'report.acknowledged' AND payload->>'reportId' = $1`, [report.id]),
      ).toBe(1);
    });

    it('acknowledges a drill report as part of the drill, and a report that is not urgent too', async () => {
      const drill = EventFactory.reportReceived('suspected-case').inUnit(DISTRICTS.mongCai.code).asDrill('EX-1').build();
      const minor = EventFactory.reportReceived('other').inUnit(DISTRICTS.mongCai.code).build();
      await stack.postEvents('province.duty', [drill, minor]);
      const waiting = await waitFor('drill report waiting', async () =>
        (await snapshot('194')).unacknowledged.find((e) => e.id === drill.id),
      );
      expect(waiting).toEqual(expect.objectContaining({ drill: true, exerciseId: 'EX-1' }));
      expect((await snapshot('194')).unacknowledged.some((e) => e.id === minor.id)).toBe(false);

      const res = await acknowledge(drill.id, DISTRICTS.mongCai.account);
      expect(res.status).toBe(201);
      const event = (await stack.db.query('SELECT drill, exercise_id FROM event_log WHERE id = $1', [res.body.id])).rows[0];
      expect(event).toEqual({ drill: true, exercise_id: 'EX-1' });
      await waitFor('drill report acknowledged', async () =>
        (await stack.db.query('SELECT acknowledged_at FROM urgent_reports WHERE report_id = $1 AND drill', [drill.id])).rows[0]?.acknowledged_at,
      );
      expect((await acknowledge(minor.id, DISTRICTS.mongCai.account)).status).toBe(201);
    });

    it('refuses roles without a console (403), other jurisdictions and non-reports alike (404) and bad input (400)', async () => {
      const report = EventFactory.reportReceived().inUnit(DISTRICTS.mongCai.code).build();
      const confirmed = EventFactory.caseConfirmed().inUnit(DISTRICTS.mongCai.code).build();
      await stack.postEvents('province.duty', [report, confirmed]);
      const count = () => stack.count(`SELECT count(*) FROM event_log WHERE type = 'report.acknowledged'`);
      const before = await count();

      const lab = await acknowledge(report.id, LAB);
      expect(lab.status).toBe(403);
      expect(lab.body.message).toMatch(/role lab/);
      expect((await acknowledge(report.id, DISTRICTS.haLong.account)).status).toBe(404);
      const notReport = await acknowledge(confirmed.id, 'province.duty');
      expect(notReport.status).toBe(404);
      expect(notReport.body.message).toMatch(/not a report/);
      expect((await acknowledge('3f0b5c1e-9a55-4d7b-8f39-5a5f8f0f2b11', 'province.duty')).status).toBe(404);
      const badId = await acknowledge('42', 'province.duty');
      expect(badId.status).toBe(400);
      expect(badId.body.details[0].path).toBe('params.id');
      const badNote = await acknowledge(report.id, 'province.duty', { note: 'x'.repeat(501) });
      expect(badNote.status).toBe(400);
      expect(badNote.body.details[0].path).toBe('body.note');
      const unknownField = await acknowledge(report.id, 'province.duty', { priority: 1 });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.message).toMatch(/priority/);
      expect(await count()).toBe(before);
    });

    it('is the only way in: POST /api/v1/events refuses report.acknowledged, naming the field and the endpoint', async () => {
      const report = EventFactory.reportReceived().inUnit(DISTRICTS.mongCai.code).build();
      await stack.postEvents('province.duty', [report]);
      // Submitted events only: the rules open tracing tasks for earlier F0 meanwhile.
      const before = await stack.submittedEvents();
      const forged = {
        type: 'report.acknowledged',
        unit: '194',
        occurredAt: new Date().toISOString(),
        payload: { reportId: report.id },
      };
      const res = await stack.request('POST', '/api/v1/events', 'province.duty', {
        events: [EventFactory.caseConfirmed().inUnit('194').build(), forged],
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { path: 'events[1].type', message: expect.stringMatching(/POST \/api\/v1\/reports\/\{reportId\}\/acknowledge/) },
      ]);
      expect(await stack.submittedEvents()).toBe(before);
    });
  });
});
