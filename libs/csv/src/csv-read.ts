import { parse, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { Readable } from 'node:stream';

/** One CSV record and the 1-based line of the file where it starts, so errors can name it. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A CSV text that does not follow RFC 4180, named by the line its record starts on and its record number (header = 1). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly record: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/**
 * RFC 4180 as csv-parse reads it: a UTF-8 BOM dropped, records ended by CRLF, LF or CR (mixed
 * in one file, as spreadsheets export them), any number of fields per record (the caller
 * compares them with its header and names the row). Blank lines come through as one empty
 * field and are dropped by `Numbering`, which also counts lines as records are parsed.
 */
const OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote (a quote inside a field must be doubled)',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the whole field)',
};

const LINE_BREAKS = /\r\n|\r|\n/g;

/** Numbers records by their first line (quoted fields may span lines) and drops blank lines. */
class Numbering {
  private line = 1;
  private records = 0;

  next(fields: string[]): CsvRecord | null {
    const line = this.line;
    let breaks = 1;
    for (const field of fields) breaks += field.match(LINE_BREAKS)?.length ?? 0;
    this.line += breaks;
    if (fields.length === 1 && fields[0] === '') return null;
    this.records += 1;
    return { line, fields };
  }

  /** The parser's error as a syntax error naming the record being read when it failed. */
  error(err: unknown): unknown {
    const code = (err as Partial<CsvError>).code;
    if (!code || !(code in REASONS)) return err;
    return new CsvSyntaxError(this.line, this.records + 1, REASONS[code]);
  }
}

/**
 * Parser options whose `on_record` numbers each record as it is parsed (so an error names the
 * record it was in) and hands on a CsvRecord instead (csv-parse's types say string[] only).
 */
function numbered(numbering: Numbering): Options {
  const onRecord = (fields: string[]): unknown => numbering.next(fields);
  return { ...OPTIONS, on_record: onRecord as Options['on_record'] };
}

/** Reads a whole CSV text (small files: case imports). */
export function parseCsv(text: string): CsvRecord[] {
  const numbering = new Numbering();
  try {
    return parseSync(text, numbered(numbering)) as unknown as CsvRecord[];
  } catch (err) {
    throw numbering.error(err);
  }
}

/**
 * Reads CSV from a stream record by record (large files: lab uploads), so the text is never
 * held as one array of records. Back-pressure is the caller's: the next record is read when it
 * asks for it.
 */
export async function* readCsv(source: Readable): AsyncGenerator<CsvRecord> {
  const numbering = new Numbering();
  const parser = source.pipe(parse(numbered(numbering)));
  source.once('error', (err) => parser.destroy(err));
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
  } catch (err) {
    throw numbering.error(err);
  } finally {
    parser.destroy();
  }
}
