import { DAY_MS, HOUR_MS, localDateOf, localDateTimeOf } from '@frontline/roster';
import { DISTRICTS } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

/**
 * Schedule editing (docs/decisions/0014-roster-feeds-and-schedules.md): rotations and special
 * days with their own patterns, swap rejection, each a `roster.changed` with its author; and the
 * history view (`?at=`) of the public list and page.
 */
describe('roster editing: rotations, special days, swap rejection, history', () => {
  const stack = new TestStack();
  const CMD = 'province.commander';
  const OTHER_CMD = 'ha-long.commander.test';
  const OFFICER = DISTRICTS.mongCai.account;
  let centerId: string;
  let staff: string[];
  const names = ['Đặng Văn Lịch Một', 'Phạm Thị Lịch Hai', 'Vũ Văn Lịch Ba'];
  let rotationId: string;
  let commanderId: string;

  async function one(sql: string, params: unknown[] = []): Promise<string> {
    const { rows } = await stack.db.query(sql, params);
    return String((rows[0] as { id: string }).id);
  }

  /** The people on duty-officer duty at `at` (staff ids), from the on-duty API. */
  async function onDuty(at: number): Promise<{ people: string[]; specialDay: string | null }> {
    const res = await stack.request(
      'GET',
      `/api/v1/roster/on-duty?unit=${DISTRICTS.mongCai.code}&at=${new Date(at).toISOString()}`,
      CMD,
    );
    expect(res.status).toBe(200);
    const c = res.body.centers.find((x: { centerId: string }) => x.centerId === centerId);
    const p = c.positions.find((x: { position: string }) => x.position === 'duty-officer');
    return {
      people: p.people.map((x: { staffId: string }) => x.staffId),
      specialDay: p.specialDay,
    };
  }

  async function changeEvent(recordId: string) {
    const { rows } = await stack.db.query(
      `SELECT actor, payload FROM event_log WHERE type = 'roster.changed' AND payload->>'recordId' = $1 ORDER BY seq`,
      [recordId],
    );
    return rows as { actor: string; payload: Record<string, unknown> }[];
  }

  beforeAll(async () => {
    await stack.start();
    await stack.createAccount(OTHER_CMD, 'commander', DISTRICTS.haLong.code);
    commanderId = await one(`SELECT id FROM users WHERE username = $1`, [CMD]);
    centerId = await one(
      `INSERT INTO command_centers (unit_code, name, hotline, public) VALUES ($1, 'Tổ thử lịch trực Móng Cái', '0203 3777 000', true) RETURNING id`,
      [DISTRICTS.mongCai.code],
    );
    await stack.db.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, name_en, required_count) VALUES ($1, 'duty-officer', 'Cán bộ trực ban', 'Duty officer', 1)`,
      [centerId],
    );
    staff = [];
    for (const [i, name] of names.entries()) {
      staff.push(
        await one(
          `INSERT INTO duty_staff (center_id, full_name, public_phone, position_codes) VALUES ($1, $2, $3, '{duty-officer}') RETURNING id`,
          [centerId, name, `0203 3777 10${i}`],
        ),
      );
    }
  }, 90_000);
  afterAll(() => stack.stop());

  it('creates a rotation: 201 with a roster.changed by its author; refusals name the field, 403 outside jurisdiction, 409 on overlap', async () => {
    const body = {
      centerId,
      position: 'duty-officer',
      shiftHours: 12,
      anchor: '2021-01-01T07:00',
      staffIds: [staff[0], staff[1]],
      validFrom: '2021-01-01',
    };
    const bad = async (patch: Record<string, unknown>, path: string) => {
      const res = await stack.request('POST', '/api/v1/roster/rotations', CMD, {
        ...body,
        ...patch,
      });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await bad({ staffIds: [staff[0], '00000000-0000-4000-8000-000000000000'] }, 'body.staffIds.1');
    await bad({ position: 'night-watch' }, 'body.position');
    await bad({ validTo: '2020-12-31' }, 'body.validTo');
    await bad({ anchor: '2021-02-30T07:00' }, 'body.anchor');
    await bad({ shiftHours: 25 }, 'body.shiftHours');
    await bad({ perShift: 3 }, 'body.perShift');
    await bad({ secret: 1 }, 'body');

    expect((await stack.request('POST', '/api/v1/roster/rotations', OFFICER, body)).status).toBe(
      403,
    );
    const outside = await stack.request('POST', '/api/v1/roster/rotations', OTHER_CMD, body);
    expect(outside.status).toBe(403);
    expect(outside.body.message).toMatch(/jurisdiction/);
    expect(
      await stack.count(`SELECT count(*) FROM duty_rotations WHERE center_id = $1`, [centerId]),
    ).toBe(0);

    const created = await stack.request('POST', '/api/v1/roster/rotations', CMD, body);
    expect(created.status).toBe(201);
    expect(created.body.eventId).toEqual(expect.any(String));
    rotationId = created.body.id;
    expect(await changeEvent(rotationId)).toEqual([
      {
        actor: `user:${commanderId}`,
        payload: { centerId, change: 'rotation', recordId: rotationId, action: 'created' },
      },
    ]);
    const again = await stack.request('POST', '/api/v1/roster/rotations', CMD, {
      ...body,
      validFrom: '2025-06-01',
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(rotationId);

    // 07:00 and 19:00 local shifts alternate between the two people.
    const next = Math.ceil(Date.now() / (12 * HOUR_MS)) * 12 * HOUR_MS;
    const [a, b] = [
      (await onDuty(next + HOUR_MS)).people,
      (await onDuty(next + 13 * HOUR_MS)).people,
    ];
    expect([a, b].flat().sort()).toEqual([staff[0], staff[1]].sort());
  });

  it('a commander rejects a proposed swap (roster.changed, action rejected): nobody moves, and it cannot be decided twice', async () => {
    const next = Math.ceil((Date.now() + 2 * HOUR_MS) / (12 * HOUR_MS)) * 12 * HOUR_MS;
    const [a] = (await onDuty(next + HOUR_MS)).people;
    const [b] = (await onDuty(next + 13 * HOUR_MS)).people;
    const proposal = await stack.request('POST', '/api/v1/roster/swaps', OFFICER, {
      centerId,
      staffA: a,
      positionA: 'duty-officer',
      shiftStartA: new Date(next).toISOString(),
      staffB: b,
      positionB: 'duty-officer',
      shiftStartB: new Date(next + 12 * HOUR_MS).toISOString(),
    });
    expect(proposal.status).toBe(201);
    const path = `/api/v1/roster/swaps/${proposal.body.id}/reject`;
    expect((await stack.request('POST', path, OFFICER, {})).status).toBe(403);
    expect((await stack.request('POST', path, OTHER_CMD, {})).status).toBe(403);
    const badReason = await stack.request('POST', path, CMD, { reason: '' });
    expect(badReason.status).toBe(400);
    expect(badReason.body.details[0].path).toBe('body.reason');
    const rejected = await stack.request('POST', path, CMD, { reason: 'Không đủ người ca đêm' });
    expect(rejected.status).toBe(201);
    expect(rejected.body).toMatchObject({ id: proposal.body.id, status: 'rejected' });
    expect(await changeEvent(proposal.body.id)).toEqual([
      {
        actor: `user:${commanderId}`,
        payload: { centerId, change: 'swap', recordId: proposal.body.id, action: 'rejected' },
      },
    ]);
    expect((await onDuty(next + HOUR_MS)).people).toEqual([a]);
    expect((await stack.request('POST', path, CMD, {})).status).toBe(409);
    expect(
      (await stack.request('POST', `/api/v1/roster/swaps/${proposal.body.id}/approve`, CMD)).status,
    ).toBe(409);
    const { rows } = await stack.db.query(
      `SELECT status, rejected_by, reject_reason FROM duty_swaps WHERE id = $1`,
      [proposal.body.id],
    );
    expect(rows[0]).toEqual({
      status: 'rejected',
      rejected_by: commanderId,
      reject_reason: 'Không đủ người ca đêm',
    });
  });

  it('edits a rotation from a date on: the past keeps the old pattern (history), the future takes the new one', async () => {
    const today = localDateOf(Date.now());
    const tomorrow = localDateOf(Date.now() + DAY_MS);
    const path = `/api/v1/roster/rotations/${rotationId}`;
    const past = await stack.request('PATCH', path, CMD, {
      effectiveFrom: localDateOf(Date.now() - DAY_MS),
      staffIds: [staff[2]],
    });
    expect(past.status).toBe(400);
    expect(past.body.details[0].path).toBe('body.effectiveFrom');
    expect(
      (
        await stack.request('PATCH', path, OTHER_CMD, {
          effectiveFrom: tomorrow,
          staffIds: [staff[2]],
        })
      ).status,
    ).toBe(403);
    const noOne = await stack.request('PATCH', path, CMD, {
      effectiveFrom: tomorrow,
      staffIds: [],
    });
    expect(noOne.status).toBe(400);
    expect(noOne.body.details[0].path).toBe('body.staffIds');

    const before = Date.now() - 2 * DAY_MS;
    const beforePeople = (await onDuty(before)).people;
    const edited = await stack.request('PATCH', path, CMD, {
      effectiveFrom: tomorrow,
      staffIds: [staff[2]],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.replacedId).toBe(rotationId);
    const newId = edited.body.id as string;
    expect(newId).not.toBe(rotationId);
    expect(await changeEvent(newId)).toEqual([
      {
        actor: `user:${commanderId}`,
        payload: { centerId, change: 'rotation', recordId: newId, action: 'updated' },
      },
    ]);
    const list = await stack.request('GET', `/api/v1/roster/rotations?centerId=${centerId}`, CMD);
    expect(list.status).toBe(200);
    expect(
      list.body.map((r: { id: string; validFrom: string; validTo: string | null }) => [
        r.id,
        r.validFrom,
        r.validTo,
      ]),
    ).toEqual([
      [rotationId, '2021-01-01', today],
      [newId, tomorrow, null],
    ]);
    expect((await onDuty(before)).people).toEqual(beforePeople);
    const dayAfter = Date.parse(`${localDateOf(Date.now() + 2 * DAY_MS)}T12:00:00+07:00`);
    expect((await onDuty(dayAfter)).people).toEqual([staff[2]]);
    // The old rotation has ended: editing it from after its end is a conflict.
    const stale = await stack.request('PATCH', path, CMD, {
      effectiveFrom: localDateOf(Date.now() + 3 * DAY_MS),
      perShift: 1,
    });
    expect(stale.status).toBe(409);
  });

  it('special days (2/9) with their own pattern replace the regular one that day', async () => {
    const day = '2031-09-02';
    const created = await stack.request('POST', '/api/v1/roster/special-days', CMD, {
      centerId,
      date: day,
      name: 'Quốc khánh 2/9',
    });
    expect(created.status).toBe(201);
    const dayId = created.body.id as string;
    expect((await changeEvent(dayId))[0].payload).toEqual({
      centerId,
      change: 'special-day',
      recordId: dayId,
      action: 'created',
    });
    expect(
      (
        await stack.request('POST', '/api/v1/roster/special-days', CMD, {
          centerId,
          date: day,
          name: 'Trùng',
        })
      ).status,
    ).toBe(409);
    const badDate = await stack.request('POST', '/api/v1/roster/special-days', CMD, {
      centerId,
      date: '2031-02-30',
      name: 'Không có',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.details[0].path).toBe('body.date');
    expect(
      (
        await stack.request('POST', '/api/v1/roster/special-days', OTHER_CMD, {
          centerId,
          date: '2031-09-03',
          name: 'Ngoài địa bàn',
        })
      ).status,
    ).toBe(403);

    const pattern = {
      centerId,
      position: 'duty-officer',
      shiftHours: 24,
      anchor: `${day}T07:00`,
      staffIds: [staff[1]],
      specialDayId: dayId,
    };
    const special = await stack.request('POST', '/api/v1/roster/rotations', CMD, pattern);
    expect(special.status).toBe(201);
    expect((await stack.request('POST', '/api/v1/roster/rotations', CMD, pattern)).status).toBe(
      409,
    );
    const unknownDay = await stack.request('POST', '/api/v1/roster/rotations', CMD, {
      ...pattern,
      specialDayId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownDay.status).toBe(400);
    expect(unknownDay.body.details[0].path).toBe('body.specialDayId');

    // The special shift runs 07:00 on 2/9 to 07:00 on 3/9; the regular night shift started on 1/9
    // still runs past midnight (a special day replaces the shifts *starting* that day).
    for (const at of ['2031-09-02T12:00', '2031-09-02T23:30', '2031-09-03T06:30']) {
      expect(await onDuty(Date.parse(`${at}:00+07:00`))).toEqual({
        people: [staff[1]],
        specialDay: 'Quốc khánh 2/9',
      });
    }
    expect(await onDuty(Date.parse('2031-09-02T06:30:00+07:00'))).toEqual({
      people: [staff[2]],
      specialDay: null,
    });
    expect((await onDuty(Date.parse('2031-09-03T12:00:00+07:00'))).people).toEqual([staff[2]]);

    const renamed = await stack.request('PATCH', `/api/v1/roster/special-days/${dayId}`, CMD, {
      name: 'Quốc khánh 2/9 (nghỉ lễ)',
    });
    expect(renamed.status).toBe(200);
    expect((await changeEvent(dayId)).map((e) => e.payload.action)).toEqual(['created', 'updated']);
    expect((await onDuty(Date.parse(`${day}T12:00:00+07:00`))).specialDay).toBe(
      'Quốc khánh 2/9 (nghỉ lễ)',
    );
  });

  it('history: the public list and page show who was on duty at a past time', async () => {
    // Two days ago, the old two-person rotation held; in three days, only the new one.
    const past = Date.parse(`${localDateOf(Date.now() - 2 * DAY_MS)}T10:00:00+07:00`);
    const [pastStaff] = (await onDuty(past)).people;
    const pastName = names[staff.indexOf(pastStaff)];
    const future = Date.parse(`${localDateOf(Date.now() + 3 * DAY_MS)}T10:00:00+07:00`);
    const pick = async (at: number) => {
      const res = await fetch(
        `${stack.apiUrl}/api/v1/public/duty?q=mong%20cai&at=${encodeURIComponent(new Date(at).toISOString())}`,
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        at: string;
        centers: { name: string; onDuty: { name: string; phone: string }[] }[];
      };
      expect(body.at).toBe(new Date(at).toISOString());
      return body.centers.find((c) => c.name === 'Tổ thử lịch trực Móng Cái')!.onDuty;
    };
    expect((await pick(past)).map((p) => p.name)).toEqual([pastName]);
    expect((await pick(future)).map((p) => p.name)).toEqual([names[2]]);
    const bad = await fetch(`${stack.apiUrl}/api/v1/public/duty?at=yesterday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: { path: string }[] }).details[0].path).toBe(
      'query.at',
    );

    // The page's picker sends local time (datetime-local).
    const local = localDateTimeOf(past);
    const page = await fetch(`${stack.apiUrl}/duty?q=mong%20cai&at=${encodeURIComponent(local)}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('data-testid="at-heading"');
    expect(html).toContain(`value="${local}"`);
    expect(html).toContain(pastName);
    expect(html).not.toContain(names[2]);
  });

  it('the worker rechecks the gaps of a center whose roster changed, from the committed roster.changed (the timed check is off here)', async () => {
    // A center written straight into the tables: no event, so nothing but the change below rechecks it.
    const gapCenter = await one(
      `INSERT INTO command_centers (unit_code, name, public) VALUES ($1, 'Tổ thử kiểm tra lại thiếu người', false) RETURNING id`,
      [DISTRICTS.mongCai.code],
    );
    await stack.db.query(
      `INSERT INTO duty_positions (center_id, code, name_vi, required_count) VALUES ($1, 'police-duty', 'Trực công an', 1)`,
      [gapCenter],
    );
    const officer = await one(
      `INSERT INTO duty_staff (center_id, full_name, position_codes) VALUES ($1, 'Người thử kiểm tra lại', '{police-duty}') RETURNING id`,
      [gapCenter],
    );
    await stack.db.query(
      `INSERT INTO duty_rotations (center_id, position_code, shift_hours, anchor_local, staff_ids, per_shift, valid_from)
       VALUES ($1, 'police-duty', 12, '2021-01-01T07:00', ARRAY[$2]::uuid[], 1, '2021-01-01')`,
      [gapCenter, officer],
    );
    // A shift starting 00:00Z or 12:00Z at least a day ahead: its one officer goes on leave.
    const shiftStart = Math.ceil((Date.now() + DAY_MS) / (12 * HOUR_MS)) * 12 * HOUR_MS;
    const leave = await stack.request('POST', '/api/v1/roster/leave', CMD, {
      staffId: officer,
      from: new Date(shiftStart).toISOString(),
      to: new Date(shiftStart + 12 * HOUR_MS).toISOString(),
    });
    expect(leave.status).toBe(201);

    const gapEvents = async () =>
      (
        await stack.db.query(
          `SELECT actor, payload FROM event_log WHERE type = 'coverage.gap-detected' AND payload->>'centerId' = $1`,
          [gapCenter],
        )
      ).rows as { actor: string; payload: { from: string; present: number } }[];
    const detected = await waitFor('the gap detected by the worker', async () => (await gapEvents())[0]);
    expect(detected.actor).toBe('system:roster-checks');
    expect(detected.payload).toMatchObject({ from: new Date(shiftStart).toISOString(), present: 0 });
  });
});
