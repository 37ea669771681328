import { Queue } from 'bullmq';
import { QUEUES } from '@frontline/queue';
import { HOUR_MS, localDateOf, localDateTimeOf } from '@frontline/roster';
import { DISTRICTS } from './support/factories';
import { LiveClient } from './support/live-client';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

/** Roster changes, coverage-gap and missed check-in alerts (docs/decisions/0009-roster-alerts.md). */
describe('roster changes and roster alerts', () => {
  // The worker's roster check runs every half second here instead of every 5 minutes.
  const stack = new TestStack({ env: { ROSTER_CHECK_INTERVAL_MS: '500' } });
  let live: LiveClient;

  async function one(sql: string, params: unknown[] = []): Promise<string> {
    const { rows } = await stack.db.query(sql, params);
    return String((rows[0] as { id: string }).id);
  }

  /** A center with one position staffed by `staff` in a rotation anchored at `anchorLocal`. */
  async function center(
    unit: string,
    name: string,
    position: string,
    shiftHours: number,
    anchorLocal: string,
    staffCount: number,
    rotationStaff = 1,
  ): Promise<{ id: string; staff: string[] }> {
    const id = await one(
      `INSERT INTO command_centers (unit_code, name, public) VALUES ($1, $2, false) RETURNING id`,
      [unit, name],
    );
    await stack.db.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, required_count) VALUES ($1, $2, $2, 1)`,
      [id, position],
    );
    const staff: string[] = [];
    for (let i = 0; i < staffCount; i++) {
      staff.push(
        await one(
          `INSERT INTO duty_staff (center_id, full_name, position_codes) VALUES ($1, $2, $3) RETURNING id`,
          [id, `Người thử ${name} ${i}`, [position]],
        ),
      );
    }
    await stack.db.query(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from)
       VALUES ($1, $2, $3, $4, $5::uuid[], 1, $6)`,
      [
        id,
        position,
        shiftHours,
        anchorLocal,
        staff.slice(0, rotationStaff),
        anchorLocal.slice(0, 10),
      ],
    );
    return { id, staff };
  }

  const countEvents = (type: string, key: string, value: string) =>
    stack.count(`SELECT count(*) FROM event_log WHERE type = $1 AND payload->>$2 = $3`, [
      type,
      key,
      value,
    ]);

  beforeAll(async () => {
    await stack.start();
    live = await new LiveClient(stack.apiUrl, await stack.token('province.duty')).connect();
  });

  afterAll(async () => {
    live?.disconnect();
    await stack.stop();
  });

  describe('coverage gaps', () => {
    let gapCenter: { id: string; staff: string[] };
    let shiftStart: number;

    beforeAll(async () => {
      // Police duty held by one person, 12-hour shifts starting 00:00Z and 12:00Z (07:00 / 19:00 local).
      gapCenter = await center(
        DISTRICTS.mongCai.code,
        'Tổ thử cảnh báo thiếu người',
        'police-duty',
        12,
        '2021-01-01T07:00',
        2,
      );
      // A shift well over an hour ahead: the gap is not urgent.
      shiftStart = Math.ceil((Date.now() + 24 * HOUR_MS) / (12 * HOUR_MS)) * 12 * HOUR_MS;
    });

    it('leave that empties a shift raises exactly one coverage.gap-detected, in the log and live', async () => {
      const leave = {
        staffId: gapCenter.staff[0],
        from: new Date(shiftStart).toISOString(),
        to: new Date(shiftStart + 12 * HOUR_MS).toISOString(),
        reason: 'Nghỉ phép',
      };
      const first = await stack.request(
        'POST',
        '/api/v1/roster/leave',
        'province.commander',
        leave,
      );
      expect(first.status).toBe(201);
      expect(first.body.eventId).toEqual(expect.any(String));
      expect(await countEvents('roster.changed', 'recordId', first.body.id)).toBe(1);

      await waitFor(
        'gap detected',
        async () => (await countEvents('coverage.gap-detected', 'centerId', gapCenter.id)) === 1,
      );
      const pushed = await waitFor('gap pushed live', () =>
        live.events.find(
          (e) => e.type === 'coverage.gap-detected' && e.payload.centerId === gapCenter.id,
        ),
      );
      expect(pushed!.unit).toBe(DISTRICTS.mongCai.code);
      expect(pushed!.payload).toEqual({
        centerId: gapCenter.id,
        position: 'police-duty',
        from: new Date(shiftStart).toISOString(),
        to: new Date(shiftStart + 12 * HOUR_MS).toISOString(),
        required: 1,
        present: 0,
        urgent: false,
      });

      // The same leave again is the same fact; several worker checks later there is still one gap event.
      const again = await stack.request(
        'POST',
        '/api/v1/roster/leave',
        'province.commander',
        leave,
      );
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: first.body.id, alreadyRecorded: true, eventId: null });
      await stack.checkRuns(QUEUES.rosterChecks, 2);
      expect(await countEvents('coverage.gap-detected', 'centerId', gapCenter.id)).toBe(1);
      expect(
        live.events.filter(
          (e) => e.type === 'coverage.gap-detected' && e.payload.centerId === gapCenter.id,
        ),
      ).toHaveLength(1);
    });

    it('an override that fills the shift closes the gap (coverage.gap-closed, once)', async () => {
      const res = await stack.request('POST', '/api/v1/roster/overrides', 'province.commander', {
        centerId: gapCenter.id,
        position: 'police-duty',
        shiftStart: new Date(shiftStart).toISOString(),
        inStaffId: gapCenter.staff[1],
      });
      expect(res.status).toBe(201);
      await waitFor(
        'gap closed',
        async () => (await countEvents('coverage.gap-closed', 'centerId', gapCenter.id)) === 1,
      );
      await stack.checkRuns(QUEUES.rosterChecks, 2);
      expect(await countEvents('coverage.gap-closed', 'centerId', gapCenter.id)).toBe(1);
      expect(await countEvents('coverage.gap-detected', 'centerId', gapCenter.id)).toBe(1);
      const gaps = await stack.request(
        'GET',
        `/api/v1/roster/gaps?unit=${DISTRICTS.mongCai.code}`,
        'province.commander',
      );
      expect(
        gaps.body.gaps.filter((g: { centerId: string }) => g.centerId === gapCenter.id),
      ).toEqual([]);
    });

    it('refuses bad changes naming the field, and roles that may not change rosters', async () => {
      const badShift = await stack.request(
        'POST',
        '/api/v1/roster/overrides',
        'province.commander',
        {
          centerId: gapCenter.id,
          position: 'police-duty',
          shiftStart: new Date(shiftStart + HOUR_MS).toISOString(),
          inStaffId: gapCenter.staff[1],
        },
      );
      expect(badShift.status).toBe(400);
      expect(badShift.body.details[0].path).toBe('body.shiftStart');
      const backwards = await stack.request('POST', '/api/v1/roster/leave', 'province.commander', {
        staffId: gapCenter.staff[1],
        from: new Date(shiftStart).toISOString(),
        to: new Date(shiftStart - HOUR_MS).toISOString(),
      });
      expect(backwards.status).toBe(400);
      expect(backwards.body.details.map((d: { path: string }) => d.path)).toEqual(['body.to']);
      const officer = await stack.request(
        'POST',
        '/api/v1/roster/leave',
        DISTRICTS.mongCai.account,
        {
          staffId: gapCenter.staff[1],
          from: new Date(shiftStart).toISOString(),
          to: new Date(shiftStart + HOUR_MS).toISOString(),
        },
      );
      expect(officer.status).toBe(403);
      const outside = await stack.request(
        'POST',
        '/api/v1/roster/overrides',
        DISTRICTS.haLong.account,
        {
          centerId: gapCenter.id,
          position: 'police-duty',
          shiftStart: new Date(shiftStart).toISOString(),
          inStaffId: gapCenter.staff[1],
        },
      );
      expect(outside.status).toBe(403);
    });
  });

  describe('missed check-ins', () => {
    it('fires once for a duty officer who has not checked in 10 minutes into the shift, not for one who has', async () => {
      // Both shifts started 11 minutes ago (24-hour rotations anchored then, minute precision).
      const anchor = localDateTimeOf(Date.now() - 11 * 60_000);
      const absent = await center(
        DISTRICTS.haLong.code,
        'Tổ thử điểm danh vắng',
        'duty-officer',
        24,
        anchor,
        1,
      );
      await stack.db.query('BEGIN');
      const present = await center(
        DISTRICTS.camPha.code,
        'Tổ thử điểm danh có mặt',
        'duty-officer',
        24,
        anchor,
        1,
      );
      const shiftStart = new Date(`${anchor}:00+07:00`);
      await stack.db.query(
        `INSERT INTO shift_checkins (center_id, position_code, staff_id, shift_start) VALUES ($1, 'duty-officer', $2, $3)`,
        [present.id, present.staff[0], shiftStart],
      );
      await stack.db.query('COMMIT');
      expect(localDateOf(shiftStart.getTime())).toBe(anchor.slice(0, 10));

      await waitFor(
        'missed check-in',
        async () => (await countEvents('shift.missed-check-in', 'centerId', absent.id)) === 1,
      );
      const [row] = (
        await stack.db.query(
          `SELECT unit_code, payload FROM event_log WHERE type = 'shift.missed-check-in' AND payload->>'centerId' = $1`,
          [absent.id],
        )
      ).rows as { unit_code: string; payload: Record<string, unknown> }[];
      expect(row).toEqual({
        unit_code: DISTRICTS.haLong.code,
        payload: {
          centerId: absent.id,
          position: 'duty-officer',
          staffId: absent.staff[0],
          shiftStart: shiftStart.toISOString(),
        },
      });
      await waitFor('missed check-in pushed live', () =>
        live.events.find(
          (e) => e.type === 'shift.missed-check-in' && e.payload.centerId === absent.id,
        ),
      );
      await stack.checkRuns(QUEUES.rosterChecks, 2);
      expect(await countEvents('shift.missed-check-in', 'centerId', absent.id)).toBe(1);
      expect(await countEvents('shift.missed-check-in', 'centerId', present.id)).toBe(0);
    });

    it('a linked duty officer checks in once per shift (shift.checked-in)', async () => {
      const [mc] = (
        await stack.db.query(
          `SELECT c.id, s.id AS staff_id FROM command_centers c JOIN duty_staff s ON s.center_id = c.id
           JOIN users u ON u.id = s.user_id WHERE c.unit_code = $1 AND u.username = $2`,
          [DISTRICTS.mongCai.code, DISTRICTS.mongCai.account],
        )
      ).rows as { id: string; staff_id: string }[];
      expect(mc).toBeDefined();
      // Make sure the linked officer is on the shift in progress (12-hour shifts at 00:00Z / 12:00Z).
      const current = Math.floor(Date.now() / (12 * HOUR_MS)) * 12 * HOUR_MS;
      const add = await stack.request('POST', '/api/v1/roster/overrides', 'province.commander', {
        centerId: mc.id,
        position: 'duty-officer',
        shiftStart: new Date(current).toISOString(),
        inStaffId: mc.staff_id,
      });
      expect(add.status).toBe(201);
      const body = { centerId: mc.id, position: 'duty-officer' };
      const first = await stack.request(
        'POST',
        '/api/v1/roster/check-in',
        DISTRICTS.mongCai.account,
        body,
      );
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        ...body,
        staffId: mc.staff_id,
        shiftStart: new Date(current).toISOString(),
        alreadyCheckedIn: false,
      });
      const again = await stack.request(
        'POST',
        '/api/v1/roster/check-in',
        DISTRICTS.mongCai.account,
        body,
      );
      expect(again.status).toBe(200);
      expect(again.body.alreadyCheckedIn).toBe(true);
      expect(await countEvents('shift.checked-in', 'staffId', mc.staff_id)).toBe(1);
      const notOnStaff = await stack.request(
        'POST',
        '/api/v1/roster/check-in',
        'province.commander',
        body,
      );
      expect(notOnStaff.status).toBe(403);
    });
  });

  describe('swaps', () => {
    it('a duty officer proposes, only the commander approves; approval is a roster.changed', async () => {
      const [{ id: mcCenter }] = (
        await stack.db.query(
          `SELECT id FROM command_centers WHERE unit_code = $1 AND public ORDER BY created_at LIMIT 1`,
          [DISTRICTS.mongCai.code],
        )
      ).rows as { id: string }[];
      const next = Math.floor(Date.now() / (12 * HOUR_MS)) * 12 * HOUR_MS + 12 * HOUR_MS;
      const police = async (at: number): Promise<string> => {
        const res = await stack.request(
          'GET',
          `/api/v1/roster/on-duty?unit=${DISTRICTS.mongCai.code}&at=${new Date(at + 60_000).toISOString()}`,
          'province.commander',
        );
        const c = res.body.centers.find((x: { centerId: string }) => x.centerId === mcCenter);
        return c.positions.find((p: { position: string }) => p.position === 'police-duty').people[0]
          .staffId;
      };
      const [a, b] = [await police(next), await police(next + 12 * HOUR_MS)];
      expect(a).not.toBe(b);
      const proposal = await stack.request(
        'POST',
        '/api/v1/roster/swaps',
        DISTRICTS.mongCai.account,
        {
          centerId: mcCenter,
          staffA: a,
          positionA: 'police-duty',
          shiftStartA: new Date(next).toISOString(),
          staffB: b,
          positionB: 'police-duty',
          shiftStartB: new Date(next + 12 * HOUR_MS).toISOString(),
        },
      );
      expect(proposal.status).toBe(201);
      expect(proposal.body).toMatchObject({ status: 'proposed', eventId: null });
      expect(await police(next)).toBe(a);

      const byOfficer = await stack.request(
        'POST',
        `/api/v1/roster/swaps/${proposal.body.id}/approve`,
        DISTRICTS.mongCai.account,
      );
      expect(byOfficer.status).toBe(403);
      const byCommander = await stack.request(
        'POST',
        `/api/v1/roster/swaps/${proposal.body.id}/approve`,
        'province.commander',
      );
      expect(byCommander.status).toBe(201);
      expect(byCommander.body.status).toBe('approved');
      expect(await countEvents('roster.changed', 'recordId', proposal.body.id)).toBe(1);
      expect(await police(next)).toBe(b);
      const twice = await stack.request(
        'POST',
        `/api/v1/roster/swaps/${proposal.body.id}/approve`,
        'province.commander',
      );
      expect(twice.status).toBe(409);
    });
  });

  describe('handover', () => {
    it('the outgoing officer hands over with a digest; the incoming officer signs (shift.handed-over)', async () => {
      const mcUnit = DISTRICTS.mongCai.code;
      const [mc] = (
        await stack.db.query(
          `SELECT c.id, s.id AS staff_id FROM command_centers c JOIN duty_staff s ON s.center_id = c.id
           JOIN users u ON u.id = s.user_id WHERE c.unit_code = $1 AND u.username = $2`,
          [mcUnit, DISTRICTS.mongCai.account],
        )
      ).rows as { id: string; staff_id: string }[];
      const current = Math.floor(Date.now() / (12 * HOUR_MS)) * 12 * HOUR_MS;
      const onDuty = async (position: string, at: number): Promise<string[]> => {
        const res = await stack.request(
          'GET',
          `/api/v1/roster/on-duty?unit=${mcUnit}&at=${new Date(at + 60_000).toISOString()}`,
          'province.commander',
        );
        const c = res.body.centers.find((x: { centerId: string }) => x.centerId === mc.id);
        return c.positions
          .find((p: { position: string }) => p.position === position)
          .people.map((p: { staffId: string }) => p.staffId);
      };
      // The linked officer is on the shift in progress.
      await stack.request('POST', '/api/v1/roster/overrides', 'province.commander', {
        centerId: mc.id,
        position: 'duty-officer',
        shiftStart: new Date(current).toISOString(),
        inStaffId: mc.staff_id,
      });
      // A second account, linked to an officer of the next shift.
      const incomingStaff = (await onDuty('duty-officer', current + 12 * HOUR_MS)).find(
        (id) => id !== mc.staff_id,
      )!;
      await stack.createAccount('mong-cai.duty.next', 'duty-officer', mcUnit);
      await stack.db.query(
        `UPDATE duty_staff SET user_id = (SELECT id FROM users WHERE username = 'mong-cai.duty.next') WHERE id = $1`,
        [incomingStaff],
      );
      // What the digest should show: an unacknowledged urgent report, two F0, a gap a day ahead.
      const now = new Date().toISOString();
      const { accepted } = await stack.postEvents(DISTRICTS.mongCai.account, [
        {
          type: 'report.received',
          unit: mcUnit,
          occurredAt: now,
          payload: {
            channel: 'hotline',
            category: 'illegal-entry',
            description: 'Người lạ vào bản',
          },
        },
        {
          type: 'case.confirmed',
          unit: mcUnit,
          occurredAt: now,
          payload: { caseId: 'F0-HO-1', method: 'rt-pcr', source: 'community' },
        },
        {
          type: 'case.confirmed',
          unit: mcUnit,
          occurredAt: now,
          payload: { caseId: 'F0-HO-2', method: 'antigen', source: 'quarantine' },
        },
      ]);
      const reportId = accepted[0].id;
      await waitFor(
        'urgent report projected',
        async () =>
          (await stack.count('SELECT count(*) FROM urgent_reports WHERE report_id = $1', [
            reportId,
          ])) === 1,
      );
      const gapStart = current + 48 * HOUR_MS;
      const [police] = await onDuty('police-duty', gapStart);
      const leave = await stack.request('POST', '/api/v1/roster/leave', 'province.commander', {
        staffId: police,
        from: new Date(gapStart).toISOString(),
        to: new Date(gapStart + 12 * HOUR_MS).toISOString(),
      });
      expect(leave.status).toBe(201);
      // The worker rechecks the center's gaps after the commit (follow-up-jobs consumer).
      await waitFor(
        'the gap of the leave detected',
        async () =>
          (await stack.count(
            `SELECT count(*) FROM event_log WHERE type = 'coverage.gap-detected' AND payload->>'centerId' = $1 AND payload->>'from' = $2`,
            [mc.id, new Date(gapStart).toISOString()],
          )) === 1,
      );

      const body = { centerId: mc.id, position: 'duty-officer', note: 'Bàn giao ca trực' };
      const created = await stack.request(
        'POST',
        '/api/v1/roster/handover',
        DISTRICTS.mongCai.account,
        body,
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        centerId: mc.id,
        unit: mcUnit,
        position: 'duty-officer',
        shiftStart: new Date(current).toISOString(),
        outgoingStaffId: mc.staff_id,
        note: 'Bàn giao ca trực',
        signedAt: null,
      });
      const digest = created.body.digest;
      expect(digest.since).toBe(new Date(current).toISOString());
      expect(digest.openUrgentReports).toEqual([
        { reportId, unit: mcUnit, category: 'illegal-entry', receivedAt: expect.any(String) },
      ]);
      expect(digest.newF0).toEqual({ total: 2, byUnit: { [mcUnit]: 2 } });
      expect(digest.coverageGapsAhead).toEqual([
        {
          position: 'police-duty',
          from: new Date(gapStart).toISOString(),
          to: new Date(gapStart + 12 * HOUR_MS).toISOString(),
          required: 1,
          present: 0,
        },
      ]);
      expect(JSON.stringify(digest)).not.toMatch(/Người lạ/);

      const again = await stack.request(
        'POST',
        '/api/v1/roster/handover',
        DISTRICTS.mongCai.account,
        body,
      );
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(created.body.id);
      const read = await stack.request(
        'GET',
        `/api/v1/roster/handover/${created.body.id}`,
        'province.duty',
      );
      expect(read.status).toBe(200);
      expect(read.body.digest).toEqual(digest);
      expect(
        (
          await stack.request(
            'GET',
            `/api/v1/roster/handover/${created.body.id}`,
            DISTRICTS.haLong.account,
          )
        ).status,
      ).toBe(403);

      const byOutgoing = await stack.request(
        'POST',
        `/api/v1/roster/handover/${created.body.id}/sign`,
        DISTRICTS.mongCai.account,
      );
      expect(byOutgoing.status).toBe(403);
      const signed = await stack.request(
        'POST',
        `/api/v1/roster/handover/${created.body.id}/sign`,
        'mong-cai.duty.next',
      );
      expect(signed.status).toBe(201);
      expect(signed.body).toMatchObject({
        signedByStaffId: incomingStaff,
        eventId: expect.any(String),
      });
      expect(await countEvents('shift.handed-over', 'handoverId', created.body.id)).toBe(1);
      await waitFor('handover pushed live', () =>
        live.events.find(
          (e) => e.type === 'shift.handed-over' && e.payload.handoverId === created.body.id,
        ),
      );
      const twice = await stack.request(
        'POST',
        `/api/v1/roster/handover/${created.body.id}/sign`,
        'mong-cai.duty.next',
      );
      expect(twice.status).toBe(200);
      expect(await countEvents('shift.handed-over', 'handoverId', created.body.id)).toBe(1);
    });
  });

  it('the roster check is one BullMQ job scheduler with a fixed id: a restarted worker does not add another', async () => {
    const queue = new Queue(QUEUES.rosterChecks, {
      // As libs/queue sets them up: the run's REDIS_PREFIX + 'bull'.
      connection: { url: stack.redisUrl, maxRetriesPerRequest: null },
      prefix: `${stack.prefix}bull`,
    });
    try {
      const schedulers = async () =>
        (await queue.getJobSchedulers()).map((s) => ({ key: s.key, name: s.name, every: s.every }));
      expect(await schedulers()).toEqual([
        { key: 'roster-check', name: 'roster-check', every: 500 },
      ]);
      // The checks above ran through it: completed jobs of that name (beside the rechecks of one
      // center that roster changes add to the same queue).
      const done = await waitFor('a completed roster-check job', async () =>
        (await queue.getCompleted()).find((job) => job.name === 'roster-check'),
      );
      expect(done!.returnvalue).toEqual({ ran: expect.any(Boolean) });
      await stack.restartWorker();
      expect(await schedulers()).toEqual([
        { key: 'roster-check', name: 'roster-check', every: 500 },
      ]);
    } finally {
      await queue.close();
    }
  });

  it('the generic event endpoint refuses roster system types', async () => {
    for (const type of [
      'roster.changed',
      'coverage.gap-detected',
      'coverage.gap-closed',
      'shift.checked-in',
      'shift.missed-check-in',
      'shift.handed-over',
    ]) {
      const res = await stack.request('POST', '/api/v1/events', 'province.duty', {
        events: [
          { type, unit: DISTRICTS.mongCai.code, occurredAt: new Date().toISOString(), payload: {} },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.details[0]).toEqual({
        path: 'events[0].type',
        message: expect.stringContaining(`${type} cannot be submitted here`),
      });
    }
  });
});
