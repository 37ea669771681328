import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type {
  LabPoolRequest,
  LabPoolResponse,
  LabResultRequest,
  LabResultResponse,
  RetestEntry,
  RetestListResponse,
} from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, StreamPublisher, UnitDirectory } from '@frontline/spine';
import { eventIdOf, referenceProblem, registryReferences, writeLabResults } from '@frontline/lab-testing';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { actorOf, assertLabRole } from './testing-access';

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

const badField = (path: string, message: string): BadRequestException =>
  new BadRequestException({ message: `${path}: ${message}`, details: [{ path, message }] });

/** Single lab results, pools and the retest list (docs/decisions/0013-lab-testing.md). */
@Injectable()
export class LabResultsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** One result with its `test.resulted` (and `retest.required` when a rule says so) in one transaction. */
  async record(request: LabResultRequest, caller: Principal): Promise<LabResultResponse> {
    assertLabRole(caller);
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    if (request.poolId) await this.assertPoolOfLab(request.poolId, request.labCode);
    if (request.programId) await this.assertScreeningTarget(request.programId, request.siteId);
    const refs = await registryReferences(this.dataSource, [request.personId], [request.caseId]);
    const problem = referenceProblem(refs, request.personId, request.caseId);
    if (problem) throw badField(`body.${problem[0]}`, problem[1]);
    const id = randomUUID();
    const outcome = await this.dataSource.transaction(async (em) => {
      const written = await writeLabResults(
        em,
        this.store,
        [
          {
            id,
            labCode: request.labCode,
            sampleId: request.sampleId,
            unit: unit.code,
            unitPath: unit.path,
            method: request.method,
            result: request.result,
            collectedAt: request.collectedAt,
            resultedAt: request.resultedAt ?? new Date().toISOString(),
            personId: request.personId?.toLowerCase(),
            caseId: request.caseId?.toLowerCase(),
            poolId: request.poolId?.toLowerCase(),
            programId: request.programId?.toLowerCase(),
            siteId: request.siteId?.toLowerCase(),
          },
        ],
        actorOf(caller),
      );
      if (written.duplicateSample.length) {
        throw new ConflictException({
          message: `sample "${request.sampleId}" of lab ${request.labCode} already has a result`,
          details: [{ path: 'body.sampleId', message: 'already recorded for this lab' }],
        });
      }
      return written;
    });
    const published = await this.publisher.publish(outcome.created);
    const event = outcome.created.find((e) => e.type === 'test.resulted')!;
    this.logger.info(
      { actor: caller.userId, testId: id, retests: outcome.retests.length, published },
      'lab result recorded',
    );
    return { id, eventId: eventIdOf(id), seq: event.seq, retests: outcome.retests };
  }

  /** Registers a pooled sample and its members; its result is then recorded with `poolId`. */
  async createPool(request: LabPoolRequest, caller: Principal): Promise<LabPoolResponse> {
    assertLabRole(caller);
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const refs = await registryReferences(this.dataSource, request.members.map((m) => m.personId));
    const missing = request.members.findIndex((m) => !refs.people.has(m.personId.toLowerCase()));
    if (missing >= 0) throw badField(`body.members.${missing}.personId`, 'no such person');
    return this.dataSource.transaction(async (em) => {
      const rows: { id: string }[] = await em.query(
        `INSERT INTO lab_pools (lab_code, pool_sample_id, unit_code, unit_path, collected_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (lab_code, pool_sample_id) DO NOTHING
         RETURNING id`,
        [request.labCode, request.poolSampleId, unit.code, unit.path, request.collectedAt, actorOf(caller)],
      );
      if (!rows.length) {
        throw new ConflictException({
          message: `pool sample "${request.poolSampleId}" of lab ${request.labCode} is already registered`,
          details: [{ path: 'body.poolSampleId', message: 'already registered for this lab' }],
        });
      }
      const id = rows[0].id;
      await em.query(
        `INSERT INTO lab_pool_members (pool_id, person_id, sample_id)
           SELECT $1, t.person, t.sample FROM unnest($2::uuid[], $3::text[]) AS t(person, sample)`,
        [id, request.members.map((m) => m.personId.toLowerCase()), request.members.map((m) => m.sampleId ?? null)],
      );
      return {
        id,
        labCode: request.labCode,
        poolSampleId: request.poolSampleId,
        unit: unit.code,
        members: request.members.map((m) => ({ personId: m.personId, sampleId: m.sampleId ?? null })),
      };
    });
  }

  /** The retest list of a unit's subtree, newest first. */
  async retests(
    caller: Principal,
    unitCode: string,
    status: 'open' | 'done' | 'all',
    limit: number,
  ): Promise<RetestListResponse> {
    assertLabRole(caller);
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const rows: RetestRow[] = await this.dataSource.query(
      `SELECT id, reason, person_id, sample_id, pool_id, source_result_id, unit_code, required_method, status,
              created_at, resolved_by_result_id
         FROM retest_list
        WHERE unit_path @> ARRAY[$1::text] AND ($2 = 'all' OR status = $2)
        ORDER BY created_at DESC, id
        LIMIT $3`,
      [unit.code, status, limit],
    );
    return {
      unit: unit.code,
      retests: rows.map((r) => ({
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
      })),
    };
  }

  private async assertPoolOfLab(poolId: string, labCode: string): Promise<void> {
    const rows: { lab_code: string }[] = await this.dataSource.query('SELECT lab_code FROM lab_pools WHERE id = $1', [
      poolId,
    ]);
    if (!rows.length) throw badField('body.poolId', 'no such pool');
    if (rows[0].lab_code !== labCode) throw badField('body.poolId', `the pool belongs to lab ${rows[0].lab_code}`);
  }

  private async assertScreeningTarget(programId: string, siteId: string | undefined): Promise<void> {
    const rows: { site_ok: boolean }[] = await this.dataSource.query(
      `SELECT ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM screening_sites s WHERE s.id = $2 AND s.program_id = p.id)) AS site_ok
         FROM screening_programs p WHERE p.id = $1`,
      [programId, siteId ?? null],
    );
    if (!rows.length) throw badField('body.programId', 'no such screening program');
    if (!rows[0].site_ok) throw badField('body.siteId', 'no such site in this program');
  }

}
