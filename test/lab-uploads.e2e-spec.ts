import { randomUUID } from 'node:crypto';
import { labUploadFile } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

describe('lab uploads (CSV and JSON, processed by the worker)', () => {
  const stack = new TestStack();
  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('lab.mong-cai', 'lab', '194');
    await stack.createAccount('field.mong-cai', 'field-team', '194');
  }, 90_000);
  afterAll(() => stack.stop());

  const upload = async (body: string, contentType: string, query = 'lab=QN-CDC', user = 'lab.mong-cai') => {
    const res = await fetch(`${stack.apiUrl}/api/v1/lab-uploads?${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${await stack.token(user)}` },
      body,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
    return { status: res.status, body: (await res.json()) as any };
  };
  const finished = (id: string) =>
    waitFor(`upload ${id} to finish`, async () => {
      const res = await stack.request('GET', `/api/v1/lab-uploads/${id}`, 'lab.mong-cai');
      return res.body.status === 'completed' || res.body.status === 'failed' ? res.body : null;
    }, 60_000, 200);

  it('a CSV file with 3 bad rows: the other rows committed once with their events, exactly those 3 rows reported', async () => {
    const file = labUploadFile(500, { badRows: [7, 250, 499] });
    const res = await upload(file, 'text/csv; charset=utf-8');
    expect(res.status).toBe(202);
    expect(res.body).toEqual(expect.objectContaining({ status: 'queued', totalRows: 500, format: 'csv', unit: '194' }));
    const done = await finished(res.body.id);
    expect(done).toEqual(expect.objectContaining({ status: 'completed', rowsDone: 500, committed: 497, errors: 3 }));

    const errors = await stack.request('GET', `/api/v1/lab-uploads/${res.body.id}/errors`, 'lab.mong-cai');
    expect(errors.status).toBe(200);
    expect(errors.body).toEqual({
      uploadId: res.body.id,
      total: 3,
      errors: [7, 250, 499].map((row) => ({ row, field: 'method', message: expect.any(String) })),
    });
    expect(await stack.count('SELECT count(*) FROM lab_results WHERE upload_id = $1', [res.body.id])).toBe(497);
    expect(
      await stack.count(
        `SELECT count(*) FROM event_log e JOIN lab_results r ON r.event_id = e.id WHERE r.upload_id = $1 AND e.type = 'test.resulted'`,
        [res.body.id],
      ),
    ).toBe(497);
    // Every 50th row is an RT-PCR positive without a person: no retest (only antigen and pools need one).
    expect(await stack.count(`SELECT count(*) FROM retest_list`)).toBe(0);
    // Progress reached the spine, counts only.
    const progress = await stack.db.query(
      `SELECT payload FROM event_log WHERE type = 'lab-upload.progressed' AND payload->>'uploadId' = $1 ORDER BY seq`,
      [res.body.id],
    );
    expect(progress.rows.at(-1).payload).toEqual({
      uploadId: res.body.id,
      status: 'completed',
      rowsDone: 500,
      totalRows: 500,
      committed: 497,
      errors: 3,
    });

    // The same errors as a CSV file to fix the lab's file with.
    const csv = await fetch(`${stack.apiUrl}/api/v1/lab-uploads/${res.body.id}/errors.csv`, {
      headers: { authorization: `Bearer ${await stack.token('lab.mong-cai')}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row,field,message');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['7,method', '250,method', '499,method']);

    // The caller's own uploads, newest first.
    const mine = await stack.request('GET', '/api/v1/lab-uploads?limit=5', 'lab.mong-cai');
    expect(mine.status).toBe(200);
    expect(mine.body.uploads[0]).toEqual(expect.objectContaining({ id: res.body.id, status: 'completed', errors: 3 }));
    expect((await stack.request('GET', '/api/v1/lab-uploads', 'mong-cai.duty')).body.uploads).toEqual([]);

    // The same file again is the same upload, not a second one.
    const again = await upload(file, 'text/csv');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(expect.objectContaining({ id: res.body.id, alreadyUploaded: true, status: 'completed' }));
  });

  it('a JSON file: rows already recorded for the lab and invalid rows are reported by number', async () => {
    const rows = JSON.parse(labUploadFile(20, { format: 'json', prefix: 'J' })) as Record<string, unknown>[];
    const first = await upload(JSON.stringify(rows.slice(0, 5)), 'application/json');
    await finished(first.body.id);
    rows[9].personId = 'not-a-uuid';
    rows[11].personId = randomUUID(); // no such person in the registry: a row error, not a failed chunk
    rows[14].unit = '193'; // another district: outside the uploader's unit
    delete rows[16].collectedAt;
    const res = await upload(JSON.stringify(rows), 'application/json');
    expect(res.status).toBe(202);
    const done = await finished(res.body.id);
    expect(done).toEqual(expect.objectContaining({ status: 'completed', committed: 11, errors: 9 }));
    const errors = await stack.request('GET', `/api/v1/lab-uploads/${res.body.id}/errors`, 'lab.mong-cai');
    expect(errors.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [1, 'sampleId'],
      [2, 'sampleId'],
      [3, 'sampleId'],
      [4, 'sampleId'],
      [5, 'sampleId'],
      [10, 'personId'],
      [12, 'personId'],
      [15, 'unit'],
      [17, 'collectedAt'],
    ]);
    expect(errors.body.errors[0].message).toBe('already recorded for lab QN-CDC');
    expect(errors.body.errors[6].message).toBe('no such person');
  });

  it('refuses unreadable files, other media types, other roles and other jurisdictions up front', async () => {
    const header = await upload('sampleId,unit,method,result,collectedAt,fullName\nS,194,antigen,negative,2021-08-30T00:00:00Z,X\n', 'text/csv');
    expect(header.status).toBe(400);
    expect(header.body.details).toEqual([{ path: 'header', message: expect.stringContaining('unknown column(s): fullName') }]);
    expect((await upload('[1,', 'application/json')).status).toBe(400);
    expect((await upload(labUploadFile(3), 'text/plain')).status).toBe(415);
    expect((await upload(labUploadFile(3), 'text/csv', 'lab=QN-CDC', 'field.mong-cai')).status).toBe(403);
    expect((await upload(labUploadFile(3), 'text/csv', 'lab=QN-CDC&unit=193')).status).toBe(403);
    expect((await upload(labUploadFile(3), 'text/csv', 'lab=bad lab')).status).toBe(400);
    expect(await stack.count('SELECT count(*) FROM lab_uploads WHERE status = $1', ['queued'])).toBe(0);

    const ok = await upload(labUploadFile(3), 'text/csv');
    const other = await stack.request('GET', `/api/v1/lab-uploads/${ok.body.id}`, 'ha-long.duty');
    expect(other.status).toBe(404);
  });
});
