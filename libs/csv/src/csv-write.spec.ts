import { toCsv } from './csv-write';

describe('CSV writing (RFC 4180)', () => {
  it('quotes only the fields that need it, doubling quotes; null and undefined are empty', () => {
    expect(toCsv([['a', 1, null, undefined, 'x,y', 'say "hi"', 'two\nlines', 'cr\r']])).toBe(
      'a,1,,,"x,y","say ""hi""","two\nlines","cr\r"\r\n',
    );
  });

  it('ends every record with CRLF and may start with a BOM', () => {
    expect(
      toCsv(
        [
          ['row', 'field'],
          [2, 'unit'],
        ],
        { bom: true },
      ),
    ).toBe('\ufeffrow,field\r\n2,unit\r\n');
  });
});
