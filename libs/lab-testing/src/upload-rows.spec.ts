import {
  countUploadRows,
  type RawRow,
  readUploadRowBatches,
  readUploadRows,
  type RowsSoFar,
  UploadFileError,
  validateRows,
} from './upload-rows';

const HEADER = 'sampleId,unit,method,result,collectedAt,personId';
const PERSON = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const ctx = {
  unitPath: (code: string) =>
    code === '194' ? ['22', '194'] : code === '999' ? 'unknown unit' : 'outside your jurisdiction',
  knownPool: () => false,
  referenceProblem: (personId: string | undefined): [string, string] | null =>
    personId && personId !== PERSON ? ['personId', 'no such person'] : null,
};

describe('lab upload rows', () => {
  it('reads CSV rows by header name, empty cells absent', () => {
    const rows = readUploadRows(
      'csv',
      `${HEADER}\nS1,194,rt-pcr,negative,2021-08-30T09:00:00+07:00,\n`,
    );
    expect(rows).toEqual([
      {
        values: {
          sampleId: 'S1',
          unit: '194',
          method: 'rt-pcr',
          result: 'negative',
          collectedAt: '2021-08-30T09:00:00+07:00',
        },
      },
    ]);
  });

  it('refuses a file whose header names an unknown or misses a required column', () => {
    expect(() =>
      readUploadRows('csv', 'sampleId,unit,method,result,collectedAt,fullName\n'),
    ).toThrow(/unknown column\(s\): fullName/);
    expect(() => readUploadRows('csv', 'sampleId,unit\nS1,194')).toThrow(
      /missing column\(s\): method, result, collectedAt/,
    );
    expect(() => readUploadRows('json', '{"rows": []}')).toThrow(UploadFileError);
    expect(() => readUploadRows('csv', HEADER)).toThrow(/no data rows/);
  });

  it('numbers errors by data row and names the field', () => {
    const csv = [
      HEADER,
      `S1,194,rt-pcr,negative,2021-08-30T09:00:00+07:00,${PERSON}`,
      'S2,194,pcr,negative,2021-08-30T09:00:00+07:00,',
      'S3,194,antigen,negative,30/08/2021,',
      'S4,999,antigen,negative,2021-08-30T09:00:00+07:00,',
      'S1,194,antigen,negative,2021-08-30T09:00:00+07:00,',
      'S6,194,antigen',
      'S7,194,antigen,positive,2021-08-30T09:00:00+07:00,not-a-uuid',
    ].join('\r\n');
    const { valid, errors } = validateRows(readUploadRows('csv', csv), ctx);
    expect(valid.map((v) => v.row)).toEqual([1]);
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'method'],
      [3, 'collectedAt'],
      [4, 'unit'],
      [5, 'sampleId'],
      [6, 'row'],
      [7, 'personId'],
    ]);
    expect(errors[2].message).toBe('unknown unit');
    expect(errors[3].message).toBe('same sample as row 1');
  });

  it('refuses a row naming a person or case the registry does not have', () => {
    const other = '0e3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b';
    const csv = [
      HEADER,
      `S1,194,antigen,positive,2021-08-30T09:00:00+07:00,${other}`,
      `S2,194,antigen,positive,2021-08-30T09:00:00+07:00,${PERSON}`,
    ].join('\n');
    const { valid, errors } = validateRows(readUploadRows('csv', csv), ctx);
    expect(valid.map((v) => v.row)).toEqual([2]);
    expect(errors).toEqual([{ row: 1, field: 'personId', message: 'no such person' }]);
  });

  it('reads JSON arrays with the same rules', () => {
    const rows = readUploadRows(
      'json',
      JSON.stringify([
        {
          sampleId: 'J1',
          unit: '194',
          method: 'antigen',
          result: 'positive',
          collectedAt: '2021-08-30T02:00:00Z',
        },
        {
          sampleId: 'J2',
          unit: '194',
          method: 'antigen',
          result: 'positive',
          collectedAt: '2021-08-30T02:00:00Z',
          name: 'x',
        },
        42,
      ]),
    );
    const { valid, errors } = validateRows(rows, ctx);
    expect(valid).toHaveLength(1);
    expect(errors).toEqual([
      { row: 2, field: 'name', message: 'unknown field' },
      { row: 3, field: 'row', message: 'expected an object' },
    ]);
  });

  it('reads a file batch by batch with the same rows, numbers and errors as read whole', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 25; i++)
      lines.push(
        `S${i % 20},194,${i === 7 ? 'pcr' : 'antigen'},negative,2021-08-30T09:00:00+07:00,`,
      );
    lines.push('S99,194,antigen');
    const csv = lines.join('\n');
    const batches: RawRow[][] = [];
    for await (const batch of readUploadRowBatches('csv', csv, 10)) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 6]);
    expect(batches.flat()).toEqual(readUploadRows('csv', csv));

    // Validated batch by batch, a sample id seen in an earlier batch is still a duplicate.
    const soFar: RowsSoFar = { firstRow: 1, firstRowOfSample: new Map() };
    const inBatches = batches.map((batch) => {
      const result = validateRows(batch, ctx, soFar);
      soFar.firstRow += batch.length;
      return result;
    });
    const whole = validateRows(readUploadRows('csv', csv), ctx);
    expect(inBatches.flatMap((r) => r.valid)).toEqual(whole.valid);
    expect(inBatches.flatMap((r) => r.errors)).toEqual(whole.errors);
    expect(whole.errors).toContainEqual({
      row: 21,
      field: 'sampleId',
      message: 'same sample as row 1',
    });
    expect(whole.errors).toContainEqual({
      row: 26,
      field: 'row',
      message: '3 fields, the header has 6',
    });
    expect(await countUploadRows('csv', csv)).toBe(26);
  });

  it('refuses an unreadable file when read as a stream too', async () => {
    await expect(
      countUploadRows('csv', 'sampleId,unit,method,result,collectedAt,fullName\nS,194,a,b,c,d\n'),
    ).rejects.toThrow(/unknown column\(s\): fullName/);
    await expect(countUploadRows('csv', `${HEADER}\nS1,"194,x`)).rejects.toThrow(
      new UploadFileError('file', 'row 1: a quoted field is not closed'),
    );
    await expect(countUploadRows('csv', HEADER)).rejects.toThrow(/no data rows/);
    await expect(countUploadRows('json', '[1,')).rejects.toThrow(UploadFileError);
  });
});
