import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LabUploadStatusResponse } from '@frontline/contracts';
import type { UploadFormat } from '@frontline/lab-testing';

export interface UploadRow {
  id: string;
  lab_code: string;
  unit_code: string;
  unit_path: string[];
  format: UploadFormat;
  sha256: string;
  status: LabUploadStatusResponse['status'];
  total_rows: number;
  checkpoint_row: number;
  committed_count: number;
  error_count: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  failure_reason: string | null;
}

export interface NewUpload {
  labCode: string;
  unitCode: string;
  unitPath: string[];
  format: UploadFormat;
  content: string;
  sha256: string;
  totalRows: number;
  createdBy: string;
}

export interface UploadError {
  row: number;
  field: string;
  message: string;
}

const UPLOAD_COLUMNS = `id, lab_code, unit_code, unit_path, format, sha256, status, total_rows, checkpoint_row,
  committed_count, error_count, created_at, started_at, finished_at, failure_reason`;

/** Lab files as received (`lab_uploads`, one per lab and content hash) and their refused rows (`lab_upload_errors`). */
@Injectable()
export class LabUploadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Undefined when the lab already sent this very file (nothing inserted). */
  async insert(upload: NewUpload): Promise<UploadRow | undefined> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO lab_uploads (lab_code, unit_code, unit_path, format, content, sha256, size_bytes, total_rows, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (lab_code, sha256) DO NOTHING
       RETURNING ${UPLOAD_COLUMNS}`,
      [
        upload.labCode,
        upload.unitCode,
        upload.unitPath,
        upload.format,
        upload.content,
        upload.sha256,
        Buffer.byteLength(upload.content),
        upload.totalRows,
        upload.createdBy,
      ],
    )) as UploadRow[];
    return inserted[0];
  }

  async findByContent(labCode: string, sha256: string): Promise<UploadRow | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${UPLOAD_COLUMNS} FROM lab_uploads WHERE lab_code = $1 AND sha256 = $2`, [
      labCode,
      sha256,
    ])) as UploadRow[];
    return rows[0];
  }

  async find(id: string): Promise<UploadRow | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${UPLOAD_COLUMNS} FROM lab_uploads WHERE id = $1`, [id])) as UploadRow[];
    return rows[0];
  }

  /** One account's uploads, newest first. */
  async listBy(createdBy: string, limit: number): Promise<UploadRow[]> {
    return (await this.dataSource.query(
      `SELECT ${UPLOAD_COLUMNS} FROM lab_uploads WHERE created_by = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [createdBy, limit],
    )) as UploadRow[];
  }

  /** Refused rows of an upload by row and field, one page. */
  async errors(uploadId: string, offset: number, limit: number): Promise<UploadError[]> {
    const rows = (await this.dataSource.query(
      `SELECT row_number, field, message FROM lab_upload_errors WHERE upload_id = $1
        ORDER BY row_number, field OFFSET $2 LIMIT $3`,
      [uploadId, offset, limit],
    )) as { row_number: number; field: string; message: string }[];
    return rows.map((r) => ({ row: r.row_number, field: r.field, message: r.message }));
  }
}
