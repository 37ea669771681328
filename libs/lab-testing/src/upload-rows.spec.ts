import { readUploadRows, UploadFileError, validateRows } from './upload-rows';

const HEADER = 'sampleId,unit,method,result,collectedAt,personId';
const PERSON = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const ctx = {
  unitPath: (code: string) => (code === '194' ? ['22', '194'] : code === '999' ? 'unknown unit' : 'outside your jurisdiction'),
  knownPool: () => false,
  referenceProblem: (personId: string | undefined): [string, string] | null =>
    personId && personId !== PERSON ? ['personId', 'no such person'] : null,
};

describe('lab upload rows', () => {
  it('reads CSV rows by header name, empty cells absent', () => {
    const rows = readUploadRows('csv', `${HEADER}\nS1,194,rt-pcr,negative,2021-08-30T09:00:00+07:00,\n`);
    expect(rows).toEqual([
      { values: { sampleId: 'S1', unit: '194', method: 'rt-pcr', result: 'negative', collectedAt: '2021-08-30T09:00:00+07:00' } },
    ]);
  });

  it('refuses a file whose header names an unknown or misses a required column', () => {
    expect(() => readUploadRows('csv', 'sampleId,unit,method,result,collectedAt,fullName\n')).toThrow(/unknown column\(s\): fullName/);
    expect(() => readUploadRows('csv', 'sampleId,unit\nS1,194')).toThrow(/missing column\(s\): method, result, collectedAt/);
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
    const csv = [HEADER, `S1,194,antigen,positive,2021-08-30T09:00:00+07:00,${other}`, `S2,194,antigen,positive,2021-08-30T09:00:00+07:00,${PERSON}`].join('\n');
    const { valid, errors } = validateRows(readUploadRows('csv', csv), ctx);
    expect(valid.map((v) => v.row)).toEqual([2]);
    expect(errors).toEqual([{ row: 1, field: 'personId', message: 'no such person' }]);
  });

  it('reads JSON arrays with the same rules', () => {
    const rows = readUploadRows(
      'json',
      JSON.stringify([
        { sampleId: 'J1', unit: '194', method: 'antigen', result: 'positive', collectedAt: '2021-08-30T02:00:00Z' },
        { sampleId: 'J2', unit: '194', method: 'antigen', result: 'positive', collectedAt: '2021-08-30T02:00:00Z', name: 'x' },
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
});
