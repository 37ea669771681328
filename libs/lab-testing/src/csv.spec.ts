import { CsvSyntaxError, parseCsv } from './csv';

describe('parseCsv (RFC 4180)', () => {
  it('splits records on CRLF or LF and fields on commas', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n4,5,6')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c\n,,\n1,2,')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
      ['1', '2', ''],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('"x,y","say ""hi""","two\r\nlines"\n"",z')).toEqual([
      ['x,y', 'say "hi"', 'two\r\nlines'],
      ['', 'z'],
    ]);
  });

  it('ignores a BOM, a final line break and blank lines', () => {
    expect(parseCsv('\ufeffa,b\r\n\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('keeps Vietnamese text as is', () => {
    expect(parseCsv('lab,ghi chú\nQN-CDC,"Móng Cái, Hải Hòa"')).toEqual([
      ['lab', 'ghi chú'],
      ['QN-CDC', 'Móng Cái, Hải Hòa'],
    ]);
  });

  it('refuses malformed quoting, naming the record', () => {
    expect(() => parseCsv('a,b\n1,"open')).toThrow(new CsvSyntaxError(2, 'unterminated quoted field'));
    expect(() => parseCsv('a,b\n1,2\n3,x"y')).toThrow(/record 3: quote inside an unquoted field/);
    expect(() => parseCsv('a\n"q"x')).toThrow(/record 2: text after a closing quote/);
  });
});
