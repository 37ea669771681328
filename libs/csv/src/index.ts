export { type CsvRecord, CsvSyntaxError, parseCsv, readCsv } from './csv-read';
export { type CsvField, toCsv } from './csv-write';
