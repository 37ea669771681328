import { CsvSyntaxError, parseCsv } from './csv';

describe('parseCsv (RFC 4180)', () => {
  it('reads plain records with LF or CRLF and skips blank lines', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n\n4,,6\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 4, fields: ['4', '', '6'] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, and numbers records by their first line', () => {
    const csv = 'ref,address\n1,"Số 5, phố ""Chợ"" Móng Cái\nkhu 3"\n2,"x"\n';
    expect(parseCsv(csv)).toEqual([
      { line: 1, fields: ['ref', 'address'] },
      { line: 2, fields: ['1', 'Số 5, phố "Chợ" Móng Cái\nkhu 3'] },
      { line: 4, fields: ['2', 'x'] },
    ]);
  });

  it('drops a UTF-8 byte order mark and reads a last record without newline', () => {
    expect(parseCsv('\uFEFFhọ tên,năm\nNguyễn Văn A,1980')).toEqual([
      { line: 1, fields: ['họ tên', 'năm'] },
      { line: 2, fields: ['Nguyễn Văn A', '1980'] },
    ]);
  });

  it('an empty quoted field at the end of the file is a field', () => {
    expect(parseCsv('a,""')).toEqual([{ line: 1, fields: ['a', ''] }]);
  });

  it('refuses an unclosed quote, text after a closing quote and a stray quote, naming the line', () => {
    expect(() => parseCsv('a\n"open,b\nc')).toThrow(new CsvSyntaxError(2, 'a quoted field is not closed'));
    expect(() => parseCsv('a\n"x"y,b')).toThrow(/line 2: text after a closing quote/);
    expect(() => parseCsv('a\nx"y,b')).toThrow(/line 2: a quote inside an unquoted field/);
  });
});
