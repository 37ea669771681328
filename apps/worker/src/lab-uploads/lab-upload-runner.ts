import type { DataSource, EntityManager } from 'typeorm';
import type { LabUploadRowError, StoredEvent } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, UnitDirectory, UnitOfWork } from '@frontline/spine';
import {
  derivedId,
  type RawRow,
  readUploadRowBatches,
  referenceProblem,
  registryReferences,
  type ResultToWrite,
  type RowsSoFar,
  type UploadFormat,
  UploadFileError,
  validateRows,
  type ValidRow,
  writeLabResults,
} from '@frontline/lab-testing';

/**
 * Rows per transaction: each chunk commits its rows, their events, its errors and the checkpoint
 * together. Large enough that the per-transaction costs (claim, lookups, commit, publish round
 * trips) are small beside the rows; small enough for progress every second or so.
 */
export const UPLOAD_CHUNK_ROWS = 10_000;
/** At most about two `lab-upload.progressed` events per second per upload. */
const PROGRESS_EVENT_MS = 500;

export interface UploadProgress {
  rowsDone: number;
  totalRows: number;
  committed: number;
  errors: number;
}

interface UploadRecord {
  id: string;
  lab_code: string;
  unit_code: string;
  unit_path: string[];
  format: UploadFormat;
  status: string;
  total_rows: number;
  checkpoint_row: number;
  committed_count: number;
  error_count: number;
  created_by: string;
}

/** The file cannot be read: the upload fails for good (no retry helps). */
export class UnreadableUploadError extends Error {}
/** Another run moved the checkpoint first: this run's chunk was rolled back. */
export class CheckpointMovedError extends Error {}

/** The id of row `row` of upload `uploadId`: the same on every run, so no row is written twice. */
export const uploadRowId = (uploadId: string, row: number): string =>
  derivedId('lab-upload-row', uploadId, String(row));

/**
 * Processes one stored lab upload from its checkpoint to the end (docs/decisions/0013-lab-testing.md).
 * Every chunk of UPLOAD_CHUNK_ROWS rows is one transaction: the valid rows with their
 * `test.resulted` (and retest) events, the refused rows' errors, the counters and the new
 * checkpoint. The stored file is read as a stream, one chunk of rows at a time (parsed,
 * validated, written), so a 100,000-row file is never held as rows all at once. A worker killed
 * mid-file leaves the last committed chunk as the checkpoint; the next run reads the file again
 * (same rows, same errors, same ids) and writes from there.
 */
export class LabUploadRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    private readonly logger: Logger,
  ) {}

  async run(
    uploadId: string,
    onProgress: (p: UploadProgress) => Promise<void>,
  ): Promise<UploadProgress | null> {
    await this.dataSource.query(
      `UPDATE lab_uploads SET status = 'processing', started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('queued', 'processing')`,
      [uploadId],
    );
    const uploads: UploadRecord[] = await this.dataSource.query(
      `SELECT id, lab_code, unit_code, unit_path, format, status, total_rows, checkpoint_row, committed_count,
                  error_count, created_by
         FROM lab_uploads WHERE id = $1 AND status = 'processing'`,
      [uploadId],
    );
    const upload = uploads[0];
    if (!upload) return null; // unknown, finished or failed: nothing to do
    const [{ content }] = (await this.dataSource.query(
      'SELECT content FROM lab_uploads WHERE id = $1',
      [uploadId],
    )) as {
      content: string;
    }[];
    await this.units.fresh();

    let progress: UploadProgress = {
      rowsDone: upload.checkpoint_row,
      totalRows: upload.total_rows,
      committed: upload.committed_count,
      errors: upload.error_count,
    };
    let lastProgressEvent = 0;
    let publishing: Promise<void> = Promise.resolve();
    // Rows before the checkpoint are read and validated again (their sample ids count for the
    // duplicate check) but not written: they were committed by an earlier run.
    const soFar: RowsSoFar = { firstRow: 1, firstRowOfSample: new Map() };
    const batches = readUploadRowBatches(upload.format, content, UPLOAD_CHUNK_ROWS)[Symbol.asyncIterator]();
    /** Reads and validates the next chunk of the file (null at its end). */
    const prepare = async () => {
      const next = await batches.next();
      if (next.done) return null;
      const batch = next.value;
      const start = Math.max(soFar.firstRow - 1, upload.checkpoint_row);
      const end = soFar.firstRow - 1 + batch.length;
      if (end > upload.total_rows)
        throw new UploadFileError('file', `more than the ${upload.total_rows} rows counted on receipt`);
      const { valid, errors } = await this.validate(upload, batch, soFar);
      return { start, end, valid: valid.filter((v) => v.row > start), errors: errors.filter((e) => e.row > start) };
    };
    try {
      // The next chunk is parsed and validated here while this one is written by PostgreSQL.
      let preparing = prepare();
      for (let chunk = await preparing; chunk; chunk = await preparing) {
        preparing = prepare();
        preparing.catch(() => undefined); // awaited at the next turn; no unhandled rejection meanwhile
        const { start, end, valid: chunkValid, errors: chunkErrors } = chunk;
        if (end <= start) continue;
        const withEvent =
          end === upload.total_rows || Date.now() - lastProgressEvent >= PROGRESS_EVENT_MS;
        const { result: { next }, publish } = await this.unitOfWork.runDeferringPublish((em) =>
          this.commitChunk(em, upload, start, end, chunkValid, chunkErrors, progress, withEvent),
        );
        if (withEvent) lastProgressEvent = Date.now();
        progress = next;
        // After the commit, while the next chunk is read and written; chunks reach the stream in
        // order. What does not reach it now the outbox relay publishes.
        await publishing;
        publishing = publish();
        await onProgress(progress);
      }
      if (soFar.firstRow - 1 !== upload.total_rows) {
        throw new UploadFileError(
          'file',
          `the file reads as ${soFar.firstRow - 1} rows, ${upload.total_rows} were counted on receipt`,
        );
      }
    } catch (err) {
      if (!(err instanceof UploadFileError)) throw err;
      await publishing;
      await this.markFailed(uploadId, err.message);
      throw new UnreadableUploadError(err.message);
    }
    await publishing;
    this.logger.info({ uploadId, ...progress }, 'lab upload processed');
    return progress;
  }

  /** Validates one batch of rows; `soFar` moves past it. */
  private async validate(upload: UploadRecord, raw: RawRow[], soFar: RowsSoFar) {
    const codes = new Set<string>();
    const pools = new Set<string>();
    const people = new Set<string>();
    const cases = new Set<string>();
    for (const r of raw) {
      if (!('values' in r)) continue;
      if (typeof r.values.unit === 'string') codes.add(r.values.unit);
      if (typeof r.values.poolId === 'string') pools.add(r.values.poolId.toLowerCase());
      if (typeof r.values.personId === 'string') people.add(r.values.personId);
      if (typeof r.values.caseId === 'string') cases.add(r.values.caseId);
    }
    // Looked up once per batch, inside the upload's unit: an unknown person, case or pool (or
    // one of another jurisdiction, answered alike) is a row error, not a failed chunk.
    const refs = await registryReferences(this.dataSource, upload.unit_code, { people, cases, pools });
    for (const code of codes) await this.units.resolve(code);
    const known = new Set<string>();
    const uuids = [...pools].filter((p) => /^[0-9a-f-]{36}$/.test(p));
    if (uuids.length) {
      const rows: { id: string }[] = await this.dataSource.query(
        'SELECT id FROM lab_pools WHERE lab_code = $1 AND id = ANY($2::uuid[])',
        [upload.lab_code, uuids],
      );
      for (const r of rows) known.add(r.id);
    }
    const result = validateRows(
      raw,
      {
        unitPath: (code) => {
          const node = this.units.get(code);
          if (!node) return `unknown unit "${code}"`;
          if (!UnitDirectory.within(upload.unit_code, node.path))
            return `outside the upload's unit ${upload.unit_code}`;
          return node.path;
        },
        knownPool: (id) => known.has(id.toLowerCase()) && refs.pools.has(id.toLowerCase()),
        referenceProblem: (personId, caseId) => referenceProblem(refs, personId, caseId),
      },
      soFar,
    );
    soFar.firstRow += raw.length;
    return result;
  }

  private async commitChunk(
    em: EntityManager,
    upload: UploadRecord,
    start: number,
    end: number,
    rows: ValidRow[],
    rowErrors: LabUploadRowError[],
    before: UploadProgress,
    withEvent: boolean,
  ): Promise<{ created: StoredEvent[]; next: UploadProgress }> {
    // Claim the chunk first: a second run on the same upload waits here, then finds the checkpoint moved.
    const claimed: unknown[] = await em.query(
      'SELECT 1 FROM lab_uploads WHERE id = $1 AND checkpoint_row = $2 FOR UPDATE',
      [upload.id, start],
    );
    if (!claimed.length)
      throw new CheckpointMovedError(`upload ${upload.id}: checkpoint is no longer ${start}`);

    const results: ResultToWrite[] = rows.map(({ row, value }) => ({
      id: uploadRowId(upload.id, row),
      labCode: upload.lab_code,
      sampleId: value.sampleId,
      unit: value.unit,
      unitPath: [],
      method: value.method,
      result: value.result,
      collectedAt: value.collectedAt,
      resultedAt: value.resultedAt ?? value.collectedAt,
      personId: value.personId?.toLowerCase(),
      caseId: value.caseId?.toLowerCase(),
      poolId: value.poolId?.toLowerCase(),
      programId: value.programId?.toLowerCase(),
      siteId: value.siteId?.toLowerCase(),
      uploadId: upload.id,
      uploadRow: row,
    }));
    rows.forEach((r, i) => (results[i].unitPath = r.unitPath));
    const outcome = await writeLabResults(em, this.store, results, upload.created_by);
    const allErrors = [
      ...rowErrors,
      ...outcome.duplicateSample.map((r) => ({
        row: r.uploadRow!,
        field: 'sampleId',
        message: `already recorded for lab ${upload.lab_code}`,
      })),
    ];
    if (allErrors.length) {
      await em.query(
        `INSERT INTO lab_upload_errors (upload_id, row_number, field, message)
           SELECT $1, t.row_number, t.field, t.message FROM unnest($2::int[], $3::text[], $4::text[]) AS t(row_number, field, message)
         ON CONFLICT DO NOTHING`,
        [
          upload.id,
          allErrors.map((x) => x.row),
          allErrors.map((x) => x.field),
          allErrors.map((x) => x.message),
        ],
      );
    }
    const erroredRows = new Set(allErrors.map((x) => x.row)).size;
    const next: UploadProgress = {
      rowsDone: end,
      totalRows: upload.total_rows,
      committed: before.committed + outcome.inserted.length,
      errors: before.errors + erroredRows,
    };
    const done = end === upload.total_rows;
    await em.query(
      `UPDATE lab_uploads SET checkpoint_row = $2, committed_count = $3, error_count = $4,
              status = CASE WHEN $5 THEN 'completed' ELSE status END,
              finished_at = CASE WHEN $5 THEN now() ELSE finished_at END
        WHERE id = $1`,
      [upload.id, end, next.committed, next.errors, done],
    );
    let created = outcome.created;
    if (withEvent) {
      const appended = await this.store.append(
        [
          {
            input: {
              id: derivedId('lab-upload.progressed', upload.id, String(end)),
              type: 'lab-upload.progressed',
              unit: upload.unit_code,
              occurredAt: new Date().toISOString(),
              payload: { uploadId: upload.id, status: done ? 'completed' : 'processing', ...next },
            },
            unitPath: upload.unit_path,
          },
        ],
        upload.created_by,
        em,
      );
      created = [...created, ...appended.created];
    }
    return { created, next };
  }

  async markFailed(uploadId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE lab_uploads SET status = 'failed', failure_reason = $2, finished_at = now() WHERE id = $1`,
      [uploadId, reason.slice(0, 500)],
    );
  }

  /** Uploads received but not finished (a lost job, Redis restarted): their ids, to queue again. */
  async pendingUploads(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM lab_uploads WHERE status IN ('queued', 'processing') ORDER BY created_at`,
    );
    return rows.map((r) => r.id);
  }
}
