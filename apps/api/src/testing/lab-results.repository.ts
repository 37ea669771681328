import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { LabResultEntry, RetestEntry } from '@frontline/contracts';

interface RetestRow {
  id: string;
  reason: RetestEntry['reason'];
  person_id: string | null;
  sample_id: string;
  pool_id: string | null;
  source_result_id: string;
  unit_code: string;
  required_method: 'rt-pcr';
  status: 'open' | 'done';
  created_at: Date;
  resolved_by_result_id: string | null;
}

interface ResultRow {
  id: string;
  event_id: string;
  lab_code: string;
  sample_id: string;
  unit_code: string;
  method: LabResultEntry['method'];
  result: LabResultEntry['result'];
  collected_at: Date;
  resulted_at: Date;
  person_id: string | null;
  case_id: string | null;
  pool_id: string | null;
  upload_id: string | null;
}

/** Which results to list: a unit's subtree, optionally those that came in [from, before). */
export interface ResultFilter {
  unitCode: string;
  from?: Date;
  before?: Date;
  limit: number;
}

export interface NewPool {
  labCode: string;
  poolSampleId: string;
  unitCode: string;
  unitPath: string[];
  collectedAt: string;
  createdBy: string;
  members: { personId: string; sampleId: string | null }[];
}

/**
 * Pools (`lab_pools`, `lab_pool_members`), the retest list and the screening targets a result
 * may name. Results themselves are written by libs/lab-testing `writeLabResults`, shared with
 * the upload worker.
 */
@Injectable()
export class LabResultsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The pool's id, or undefined when the lab already registered that pool sample (nothing inserted). */
  async insertPool(em: EntityManager, pool: NewPool): Promise<string | undefined> {
    const rows = (await em.query(
      `INSERT INTO lab_pools (lab_code, pool_sample_id, unit_code, unit_path, collected_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (lab_code, pool_sample_id) DO NOTHING
       RETURNING id`,
      [pool.labCode, pool.poolSampleId, pool.unitCode, pool.unitPath, pool.collectedAt, pool.createdBy],
    )) as { id: string }[];
    if (!rows.length) return undefined;
    await em.query(
      `INSERT INTO lab_pool_members (pool_id, person_id, sample_id)
         SELECT $1, t.person, t.sample FROM unnest($2::uuid[], $3::text[]) AS t(person, sample)`,
      [rows[0].id, pool.members.map((m) => m.personId), pool.members.map((m) => m.sampleId)],
    );
    return rows[0].id;
  }

  /** The lab a pool belongs to, or undefined when there is no such pool. */
  async labOfPool(poolId: string): Promise<string | undefined> {
    const rows = (await this.dataSource.query('SELECT lab_code FROM lab_pools WHERE id = $1', [poolId])) as { lab_code: string }[];
    return rows[0]?.lab_code;
  }

  /** Whether the screening program exists and, when a site is named, has that site. */
  async screeningTarget(programId: string, siteId: string | null): Promise<{ program: boolean; site: boolean }> {
    const rows = (await this.dataSource.query(
      `SELECT ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM screening_sites s WHERE s.id = $2 AND s.program_id = p.id)) AS site_ok
         FROM screening_programs p WHERE p.id = $1`,
      [programId, siteId],
    )) as { site_ok: boolean }[];
    return { program: rows.length > 0, site: rows[0]?.site_ok ?? false };
  }

  /** Results of a unit's subtree, newest first. */
  async results(filter: ResultFilter): Promise<LabResultEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, event_id, lab_code, sample_id, unit_code, method, result, collected_at, resulted_at, person_id,
              case_id, pool_id, upload_id
         FROM lab_results
        WHERE unit_path @> ARRAY[$1::text] AND ($2::timestamptz IS NULL OR resulted_at >= $2)
          AND ($3::timestamptz IS NULL OR resulted_at < $3)
        ORDER BY resulted_at DESC, id
        LIMIT $4`,
      [filter.unitCode, filter.from ?? null, filter.before ?? null, filter.limit],
    )) as ResultRow[];
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      labCode: r.lab_code,
      sampleId: r.sample_id,
      unit: r.unit_code,
      method: r.method,
      result: r.result,
      collectedAt: r.collected_at.toISOString(),
      resultedAt: r.resulted_at.toISOString(),
      personId: r.person_id,
      caseId: r.case_id,
      poolId: r.pool_id,
      uploadId: r.upload_id,
    }));
  }

  /** Retests of a unit's subtree, newest first; `status` 'all' for both. */
  async retests(unitCode: string, status: 'open' | 'done' | 'all', limit: number): Promise<RetestEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, reason, person_id, sample_id, pool_id, source_result_id, unit_code, required_method, status,
              created_at, resolved_by_result_id
         FROM retest_list
        WHERE unit_path @> ARRAY[$1::text] AND ($2 = 'all' OR status = $2)
        ORDER BY created_at DESC, id
        LIMIT $3`,
      [unitCode, status, limit],
    )) as RetestRow[];
    return rows.map((r) => ({
      id: r.id,
      reason: r.reason,
      personId: r.person_id,
      sampleId: r.sample_id,
      poolId: r.pool_id,
      sourceTestId: r.source_result_id,
      unit: r.unit_code,
      requiredMethod: r.required_method,
      status: r.status,
      createdAt: r.created_at.toISOString(),
      resolvedByTestId: r.resolved_by_result_id,
    }));
  }
}
