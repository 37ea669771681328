import { Readable } from 'node:stream';
import { type CsvRecord, CsvSyntaxError, parseCsv, readCsv } from './csv-read';

const fieldsOf = (records: CsvRecord[]) => records.map((r) => r.fields);

async function readAll(text: string, chunkSize = 3): Promise<CsvRecord[]> {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  const records: CsvRecord[] = [];
  for await (const record of readCsv(Readable.from(chunks))) records.push(record);
  return records;
}

describe('parseCsv (RFC 4180)', () => {
  it('reads plain records with LF or CRLF and skips blank lines', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n\n4,,6\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 4, fields: ['4', '', '6'] },
    ]);
    expect(fieldsOf(parseCsv('a,b,c\r\n1,2,3\n4,5,6'))).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fieldsOf(parseCsv('a,,c\n,,\n1,2,'))).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
      ['1', '2', ''],
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, and numbers records by their first line', () => {
    const csv = 'ref,address\n1,"Số 5, phố ""Chợ"" Móng Cái\nkhu 3"\n2,"x"\n';
    expect(parseCsv(csv)).toEqual([
      { line: 1, fields: ['ref', 'address'] },
      { line: 2, fields: ['1', 'Số 5, phố "Chợ" Móng Cái\nkhu 3'] },
      { line: 4, fields: ['2', 'x'] },
    ]);
    expect(parseCsv('"x,y","say ""hi""","two\r\nlines"\n"",z')).toEqual([
      { line: 1, fields: ['x,y', 'say "hi"', 'two\r\nlines'] },
      { line: 3, fields: ['', 'z'] },
    ]);
  });

  it('drops a UTF-8 byte order mark, a final line break and blank lines, and reads a last record without newline', () => {
    expect(parseCsv('\uFEFFhọ tên,năm\nNguyễn Văn A,1980')).toEqual([
      { line: 1, fields: ['họ tên', 'năm'] },
      { line: 2, fields: ['Nguyễn Văn A', '1980'] },
    ]);
    expect(fieldsOf(parseCsv('\ufeffa,b\r\n\r\n1,2\r\n'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('an empty quoted field at the end of the file is a field', () => {
    expect(parseCsv('a,""')).toEqual([{ line: 1, fields: ['a', ''] }]);
  });

  it('keeps Vietnamese text as is', () => {
    expect(fieldsOf(parseCsv('lab,ghi chú\nQN-CDC,"Móng Cái, Hải Hòa"'))).toEqual([
      ['lab', 'ghi chú'],
      ['QN-CDC', 'Móng Cái, Hải Hòa'],
    ]);
  });

  it('refuses an unclosed quote, text after a closing quote and a stray quote, naming the line and the record', () => {
    expect(() => parseCsv('a\n"open,b\nc')).toThrow(
      new CsvSyntaxError(2, 2, 'a quoted field is not closed'),
    );
    expect(() => parseCsv('a\n"x"y,b')).toThrow(/line 2: text after a closing quote/);
    expect(() => parseCsv('a\nx"y,b')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a,b\n1,"open')).toThrow(expect.objectContaining({ record: 2, line: 2 }));
    expect(() => parseCsv('a,b\n1,2\n3,x"y')).toThrow(
      expect.objectContaining({
        record: 3,
        reason: expect.stringMatching(/^a quote inside an unquoted field/),
      }),
    );
    expect(() => parseCsv('a\n"q"x')).toThrow(
      expect.objectContaining({
        record: 2,
        reason: expect.stringMatching(/^text after a closing quote/),
      }),
    );
  });
});

describe('readCsv (the same rules over a stream)', () => {
  it('reads records split across chunks, with their lines', async () => {
    const csv = '\uFEFFref,address\r\n1,"Số 5, phố ""Chợ""\nkhu 3"\n\n2,x\n';
    expect(await readAll(csv)).toEqual(parseCsv(csv));
    expect(await readAll(csv, 1)).toEqual([
      { line: 1, fields: ['ref', 'address'] },
      { line: 2, fields: ['1', 'Số 5, phố "Chợ"\nkhu 3'] },
      { line: 5, fields: ['2', 'x'] },
    ]);
  });

  it('names the record of a syntax error', async () => {
    await expect(readAll('a,b\n1,2\n3,x"y\n4,5')).rejects.toEqual(
      new CsvSyntaxError(3, 3, 'a quote inside an unquoted field (quote the whole field)'),
    );
  });
});
