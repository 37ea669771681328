import {
  LAB_UPLOAD_COLUMNS,
  labUploadRowSchema,
  type LabUploadRow,
  type LabUploadRowError,
  MAX_LAB_UPLOAD_ROWS,
} from '@frontline/contracts';
import { Readable } from 'node:stream';
import { CsvSyntaxError, parseCsv, readCsv } from '@frontline/csv';

export type UploadFormat = 'csv' | 'json';

/** The file as a whole cannot be read (bad header, not a JSON array, too many rows). */
export class UploadFileError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** One data row before validation: its fields, or why its shape is wrong. */
export type RawRow = { values: Record<string, unknown> } | { error: LabUploadRowError };

const REQUIRED_COLUMNS = ['sampleId', 'unit', 'method', 'result', 'collectedAt'];

/**
 * Reads an upload into rows numbered from 1 (the first data row). CSV needs a header naming
 * only known columns (LAB_UPLOAD_COLUMNS, any order); an empty cell is an absent field. JSON is
 * an array of objects with the same field names.
 */
export function readUploadRows(format: UploadFormat, text: string): RawRow[] {
  return format === 'csv' ? readCsvRows(text) : readJson(text);
}

function readCsvRows(text: string): RawRow[] {
  let records: string[][];
  try {
    records = parseCsv(text).map((r) => r.fields);
  } catch (err) {
    throw unreadable(err);
  }
  const header = records.shift();
  if (!header) throw new UploadFileError('file', 'empty file: a header row is required');
  const columns = uploadColumns(header);
  assertRowCount(records.length);
  return records.map((record, idx) => rowOf(columns, record, idx + 1));
}

/**
 * Reads an upload as a stream, `batchRows` rows at a time (numbered from 1 like readUploadRows),
 * so a large CSV file is never held as one array of rows. A JSON upload is one document: it is
 * parsed whole, then handed on in the same batches.
 */
export async function* readUploadRowBatches(
  format: UploadFormat,
  text: string,
  batchRows: number,
): AsyncGenerator<RawRow[]> {
  if (format === 'json') {
    const rows = readJson(text);
    for (let i = 0; i < rows.length; i += batchRows) yield rows.slice(i, i + batchRows);
    return;
  }
  let columns: string[] | null = null;
  let count = 0;
  let batch: RawRow[] = [];
  try {
    for await (const { fields } of readCsv(Readable.from(textChunks(text)))) {
      if (!columns) {
        columns = uploadColumns(fields);
        continue;
      }
      count += 1;
      if (count > MAX_LAB_UPLOAD_ROWS) assertRowCount(count);
      batch.push(rowOf(columns, fields, count));
      if (batch.length === batchRows) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    throw unreadable(err);
  }
  if (!columns) throw new UploadFileError('file', 'empty file: a header row is required');
  assertRowCount(count);
  if (batch.length) yield batch;
}

/** The number of data rows, once the file is known to be readable (the api, on receipt). */
export async function countUploadRows(format: UploadFormat, text: string): Promise<number> {
  let rows = 0;
  for await (const batch of readUploadRowBatches(format, text, 10_000)) rows += batch.length;
  return rows;
}

/** 64 KiB slices of a stored file, so the CSV parser reads it as it would a stream. */
function* textChunks(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
}

function unreadable(err: unknown): unknown {
  // Record 1 is the header: data row = record - 1.
  if (err instanceof CsvSyntaxError)
    return new UploadFileError('file', `row ${Math.max(err.record - 1, 0)}: ${err.reason}`);
  return err;
}

/** The header's column names, checked: only known columns, none twice, every required one. */
function uploadColumns(header: string[]): string[] {
  const columns = header.map((h) => h.trim());
  const known = new Set<string>(LAB_UPLOAD_COLUMNS);
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length) {
    throw new UploadFileError(
      'header',
      `unknown column(s): ${unknown.join(', ')}; known: ${LAB_UPLOAD_COLUMNS.join(', ')}`,
    );
  }
  const duplicated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (duplicated.length)
    throw new UploadFileError('header', `column(s) named twice: ${duplicated.join(', ')}`);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length)
    throw new UploadFileError('header', `missing column(s): ${missing.join(', ')}`);
  return columns;
}

/** One data record as named values (an empty cell is an absent field), or why its shape is wrong. */
function rowOf(columns: string[], record: string[], row: number): RawRow {
  if (record.length !== columns.length) {
    return {
      error: {
        row,
        field: 'row',
        message: `${record.length} fields, the header has ${columns.length}`,
      },
    };
  }
  const values: Record<string, unknown> = {};
  for (let c = 0; c < columns.length; c++) {
    const cell = record[c].trim();
    if (cell !== '') values[columns[c]] = cell;
  }
  return { values };
}

function readJson(text: string): RawRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UploadFileError('file', `not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed))
    throw new UploadFileError('file', 'a JSON upload is an array of result objects');
  assertRowCount(parsed.length);
  return parsed.map((item: unknown, idx) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? { values: item as Record<string, unknown> }
      : { error: { row: idx + 1, field: 'row', message: 'expected an object' } },
  );
}

function assertRowCount(n: number): void {
  if (n === 0) throw new UploadFileError('file', 'no data rows');
  if (n > MAX_LAB_UPLOAD_ROWS) {
    throw new UploadFileError('file', `${n} rows; at most ${MAX_LAB_UPLOAD_ROWS} per upload`);
  }
}

export interface ValidRow {
  row: number;
  value: LabUploadRow;
  unitPath: string[];
}

export interface RowContext {
  /** The unit's path when it exists and lies within the uploader's jurisdiction, else a message. */
  unitPath(code: string): string[] | string;
  /** Pools registered for the upload's lab. */
  knownPool(poolId: string): boolean;
  /** Why the row's person / case do not hold ([field, message]), or null (registry-references.ts). */
  referenceProblem(
    personId: string | undefined,
    caseId: string | undefined,
  ): [string, string] | null;
}

/** Where a batch starts in its file, and the first row of each valid sample id before it. */
export interface RowsSoFar {
  firstRow: number;
  firstRowOfSample: Map<string, number>;
}

/**
 * Validates every row: the row schema (each failing field named), the unit (known, within the
 * uploader's jurisdiction), the pool (registered for this lab), the person and case (in the
 * case registry, the case the person's) and a sample id used twice in
 * the file (the later row is refused). Deterministic: the same file gives the same errors, read
 * whole or batch by batch (`from` carries the batches before).
 */
export function validateRows(
  raw: RawRow[],
  ctx: RowContext,
  from: RowsSoFar = { firstRow: 1, firstRowOfSample: new Map() },
): { valid: ValidRow[]; errors: LabUploadRowError[] } {
  const valid: ValidRow[] = [];
  const errors: LabUploadRowError[] = [];
  const { firstRowOfSample } = from;
  raw.forEach((item, idx) => {
    const row = from.firstRow + idx;
    if ('error' in item) {
      errors.push(item.error);
      return;
    }
    const parsed = labUploadRowSchema.safeParse(item.values);
    if (!parsed.success) {
      const byField = new Map<string, string>();
      for (const issue of parsed.error.issues) {
        const field =
          issue.code === 'unrecognized_keys'
            ? issue.keys.join(',')
            : issue.path.map(String).join('.') || 'row';
        const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
        if (!byField.has(field)) byField.set(field, message);
      }
      for (const [field, message] of byField) errors.push({ row, field, message });
      return;
    }
    const value = parsed.data;
    const path = ctx.unitPath(value.unit);
    if (typeof path === 'string') {
      errors.push({ row, field: 'unit', message: path });
      return;
    }
    if (value.poolId && !ctx.knownPool(value.poolId)) {
      errors.push({ row, field: 'poolId', message: 'no such pool for this lab' });
      return;
    }
    const problem = ctx.referenceProblem(value.personId, value.caseId);
    if (problem) {
      errors.push({ row, field: problem[0], message: problem[1] });
      return;
    }
    const first = firstRowOfSample.get(value.sampleId);
    if (first !== undefined) {
      errors.push({ row, field: 'sampleId', message: `same sample as row ${first}` });
      return;
    }
    firstRowOfSample.set(value.sampleId, row);
    valid.push({ row, value, unitPath: path });
  });
  return { valid, errors };
}
