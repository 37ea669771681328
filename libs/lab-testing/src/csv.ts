/** A CSV text that does not follow RFC 4180; `record` is 1-based and counts the header. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly record: number,
    message: string,
  ) {
    super(`CSV record ${record}: ${message}`);
  }
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/**
 * Parses RFC 4180 CSV: fields separated by commas, records by CRLF or LF, fields optionally
 * enclosed in double quotes (then they may hold commas, quotes doubled as `""`, and line
 * breaks). A leading UTF-8 BOM is ignored, a final line break does not make an empty record,
 * and blank lines are skipped. A quote inside an unquoted field, text after a closing quote or
 * an unterminated quoted field is an error naming the record.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let record: string[] = [];
  let field = '';
  let fieldStart = true;

  const endRecord = (): void => {
    record.push(field);
    // A blank line is one empty field: skip it rather than make an empty record.
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
    field = '';
    fieldStart = true;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (fieldStart && c === QUOTE) {
      // Quoted field: read to the closing quote.
      let j = i + 1;
      let value = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) throw new CsvSyntaxError(records.length + 1, 'unterminated quoted field');
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      field = value;
      fieldStart = false;
      const next = text.charCodeAt(i);
      if (i < n && next !== COMMA && next !== CR && next !== LF) {
        throw new CsvSyntaxError(records.length + 1, 'text after a closing quote');
      }
      continue;
    }
    if (c === COMMA) {
      record.push(field);
      field = '';
      fieldStart = true;
      i++;
    } else if (c === CR || c === LF) {
      endRecord();
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    } else {
      // Unquoted run up to the next delimiter.
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === COMMA || d === CR || d === LF) break;
        if (d === QUOTE) throw new CsvSyntaxError(records.length + 1, 'quote inside an unquoted field');
        j++;
      }
      field += text.slice(i, j);
      fieldStart = false;
      i = j;
    }
  }
  if (!fieldStart || record.length) endRecord();
  return records;
}
