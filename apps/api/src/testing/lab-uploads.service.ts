import {
  ForbiddenException,
  Inject,
  Injectable,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { createHash } from 'node:crypto';
import type { LabUploadErrorsResponse, LabUploadListResponse, LabUploadStatusResponse } from '@frontline/contracts';
import { type CsvField, toCsv } from '@frontline/csv';
import type { Logger } from '@frontline/logger';
import { type Queue, QUEUES } from '@frontline/queue';
import { LOGGER, UnitDirectory } from '@frontline/spine';
import {
  type LabUploadJob,
  countUploadRows,
  labUploadJobOptions,
  UploadFileError,
  type UploadFormat,
} from '@frontline/lab-testing';
import type { Principal } from '../auth/token.service';
import { reachableRecord, unitInJurisdiction } from '../common/jurisdiction';
import { LabUploadsRepository, UploadRow } from './lab-uploads.repository';
import { fieldError } from '../common/validation';
import { actorOf } from './testing-access';

/** `text/csv` or `application/json` (parameters such as charset ignored). */
export function uploadFormatOf(contentType: string | undefined): UploadFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  throw new UnsupportedMediaTypeException('send the file as text/csv or application/json');
}

/** A message quoting a cell of the lab's file must not run as a formula when the CSV is opened. */
const spreadsheetSafe = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/**
 * Bulk lab uploads: the file is stored as received (text + sha256) with its row count, then a
 * BullMQ job (jobId = upload id) commits it in chunks (apps/worker/src/lab-uploads).
 */
@Injectable()
export class LabUploadsService {
  constructor(
    private readonly uploads: LabUploadsRepository,
    private readonly units: UnitDirectory,
    @InjectQueue(QUEUES.labUploads) private readonly queue: Queue<LabUploadJob>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(
    caller: Principal,
    labCode: string,
    unitCode: string,
    format: UploadFormat,
    body: unknown,
  ): Promise<LabUploadStatusResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    if (typeof body !== 'string' || !body.length) {
      throw fieldError('body', 'empty: the request body is the file itself (text/csv or application/json)');
    }
    // Only its shape is read here (header, syntax, row count): a file that cannot be read is
    // refused now, not queued. The rows are validated and written by the worker.
    let totalRows: number;
    try {
      totalRows = await countUploadRows(format, body);
    } catch (err) {
      if (err instanceof UploadFileError) {
        throw fieldError(err.field, err.message);
      }
      throw err;
    }
    const sha256 = createHash('sha256').update(body).digest('hex');
    let row = await this.uploads.insert({
      labCode,
      unitCode: unit.code,
      unitPath: unit.path,
      format,
      content: body,
      sha256,
      totalRows,
      createdBy: actorOf(caller),
    });
    const alreadyUploaded = !row;
    if (!row) {
      // The same file for the same lab: answer with that upload (re-queued if it never finished).
      row = (await this.uploads.findByContent(labCode, sha256))!;
      if (!UnitDirectory.within(caller.unitCode, row.unit_path)) {
        throw new ForbiddenException('this file was uploaded by another jurisdiction');
      }
    }
    if (row.status === 'queued' || row.status === 'processing') await this.enqueue(row.id);
    this.logger.info({ actor: caller.userId, uploadId: row.id, totalRows, format, alreadyUploaded }, 'lab upload received');
    return { ...this.toStatus(row), ...(alreadyUploaded ? { alreadyUploaded: true } : {}) };
  }

  /** Adds the job; a failure (Redis away) leaves the upload queued for the worker's start-up sweep. */
  private async enqueue(uploadId: string): Promise<void> {
    try {
      await this.queue.add('process', { uploadId }, labUploadJobOptions(uploadId));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, uploadId }, 'lab upload not queued yet; the worker picks it up on start');
    }
  }

  async status(caller: Principal, id: string): Promise<LabUploadStatusResponse> {
    return this.toStatus(await this.load(caller, id));
  }

  async errors(caller: Principal, id: string, offset: number, limit: number): Promise<LabUploadErrorsResponse> {
    const upload = await this.load(caller, id);
    return {
      uploadId: upload.id,
      total: upload.error_count,
      errors: await this.uploads.errors(upload.id, offset, limit),
    };
  }

  /** The caller's own uploads, newest first (the upload screen's list). */
  async mine(caller: Principal, limit: number): Promise<LabUploadListResponse> {
    const rows = await this.uploads.listBy(actorOf(caller), limit);
    // Still within the caller's jurisdiction (a moved account does not keep its old unit's files).
    return { uploads: rows.filter((r) => UnitDirectory.within(caller.unitCode, r.unit_path)).map((r) => this.toStatus(r)) };
  }

  /** Every refused row as CSV (row, field, message; RFC 4180, UTF-8 with BOM for spreadsheets). */
  async errorsCsv(caller: Principal, id: string): Promise<string> {
    const upload = await this.load(caller, id);
    const records: CsvField[][] = [['row', 'field', 'message']];
    const PAGE = 10_000;
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.uploads.errors(upload.id, offset, PAGE);
      for (const r of page) records.push([r.row, r.field, spreadsheetSafe(r.message)]);
      if (page.length < PAGE) break;
    }
    return toCsv(records, { bom: true });
  }

  private async load(caller: Principal, id: string): Promise<UploadRow> {
    const upload = reachableRecord(await this.uploads.find(id), (u) => u.unit_path, caller, `no lab upload with id "${id}"`);
    return upload;
  }

  private toStatus(r: UploadRow): LabUploadStatusResponse {
    return {
      id: r.id,
      labCode: r.lab_code,
      unit: r.unit_code,
      format: r.format,
      sha256: r.sha256,
      status: r.status,
      totalRows: r.total_rows,
      rowsDone: r.checkpoint_row,
      committed: r.committed_count,
      errors: r.error_count,
      createdAt: r.created_at.toISOString(),
      startedAt: r.started_at?.toISOString() ?? null,
      finishedAt: r.finished_at?.toISOString() ?? null,
      failureReason: r.failure_reason,
    };
  }
}
