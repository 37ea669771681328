import { stringify } from 'csv-stringify/sync';

export type CsvField = string | number | null | undefined;

/**
 * CSV text (RFC 4180, CRLF) of the given records: a field with a comma, a quote or a line break
 * is quoted and its quotes doubled; null and undefined are empty fields. `bom` starts the text
 * with a UTF-8 byte order mark so spreadsheets read it as UTF-8.
 */
export function toCsv(
  records: readonly (readonly CsvField[])[],
  options: { bom?: boolean } = {},
): string {
  return stringify(records as CsvField[][], {
    bom: options.bom ?? false,
    record_delimiter: 'windows',
    // A lone LF or CR is quoted too: readers (ours included) end records on either.
    quoted_match: /[\r\n]/,
  });
}
