import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type {
  LabPoolRequest,
  LabPoolResponse,
  LabResultListResponse,
  LabResultRequest,
  LabResultResponse,
  RetestListResponse,
} from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import { localDateStart, nextLocalDate } from '@frontline/time';
import { eventIdOf, referenceProblem, registryReferences, RegistryReferences, writeLabResults } from '@frontline/lab-testing';
import type { Principal } from '../auth/token.service';
import { referenceNotFound, unitInJurisdiction } from '../common/jurisdiction';
import { LabResultsRepository } from './lab-results.repository';
import { fieldError } from '../common/validation';
import { actorOf } from './testing-access';

/** Single lab results, pools and the retest list (docs/decisions/0013-lab-testing.md). */
@Injectable()
export class LabResultsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly labs: LabResultsRepository,
    private readonly store: EventStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** One result with its `test.resulted` (and `retest.required` when a rule says so) in one transaction. */
  async record(request: LabResultRequest, caller: Principal): Promise<LabResultResponse> {
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const refs = await registryReferences(this.dataSource, caller.unitCode, {
      people: [request.personId],
      cases: [request.caseId],
      pools: [request.poolId],
    });
    if (request.poolId) await this.assertPoolOfLab(refs, request.poolId, request.labCode);
    if (request.programId) await this.assertScreeningTarget(request.programId, request.siteId);
    const problem = referenceProblem(refs, request.personId, request.caseId);
    if (problem) {
      // A record that is not there for the caller (unknown or of another jurisdiction) is a 404; a case of another person, a bad request.
      const [field, message] = problem;
      throw message.startsWith('no such') ? referenceNotFound(`body.${field}`, message) : fieldError(`body.${field}`, message);
    }
    const id = randomUUID();
    const outcome = await this.unitOfWork.run(async (em) => {
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
    const event = outcome.created.find((e) => e.type === 'test.resulted')!;
    this.logger.info(
      { actor: caller.userId, testId: id, retests: outcome.retests.length },
      'lab result recorded',
    );
    return { id, eventId: eventIdOf(id), seq: event.seq, retests: outcome.retests };
  }

  /** Registers a pooled sample and its members; its result is then recorded with `poolId`. */
  async createPool(request: LabPoolRequest, caller: Principal): Promise<LabPoolResponse> {
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const refs = await registryReferences(this.dataSource, caller.unitCode, { people: request.members.map((m) => m.personId) });
    const missing = request.members.findIndex((m) => !refs.people.has(m.personId.toLowerCase()));
    if (missing >= 0) throw referenceNotFound(`body.members.${missing}.personId`, 'no such person');
    return this.dataSource.transaction(async (em) => {
      const id = await this.labs.insertPool(em, {
        labCode: request.labCode,
        poolSampleId: request.poolSampleId,
        unitCode: unit.code,
        unitPath: unit.path,
        collectedAt: request.collectedAt,
        createdBy: actorOf(caller),
        members: request.members.map((m) => ({ personId: m.personId.toLowerCase(), sampleId: m.sampleId ?? null })),
      });
      if (!id) {
        throw new ConflictException({
          message: `pool sample "${request.poolSampleId}" of lab ${request.labCode} is already registered`,
          details: [{ path: 'body.poolSampleId', message: 'already registered for this lab' }],
        });
      }
      return {
        id,
        labCode: request.labCode,
        poolSampleId: request.poolSampleId,
        unit: unit.code,
        members: request.members.map((m) => ({ personId: m.personId, sampleId: m.sampleId ?? null })),
      };
    });
  }

  /** The results of a unit's subtree, newest first; `from` / `to` are local days of the deployment. */
  async list(
    caller: Principal,
    query: { unit?: string; from?: string; to?: string; limit: number },
  ): Promise<LabResultListResponse> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    const results = await this.labs.results({
      unitCode: unit.code,
      from: query.from ? new Date(localDateStart(query.from)) : undefined,
      before: query.to ? new Date(localDateStart(nextLocalDate(query.to))) : undefined,
      limit: query.limit,
    });
    return { unit: unit.code, results };
  }

  /** The retest list of a unit's subtree, newest first. */
  async retests(
    caller: Principal,
    unitCode: string,
    status: 'open' | 'done' | 'all',
    limit: number,
  ): Promise<RetestListResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    return { unit: unit.code, retests: await this.labs.retests(unit.code, status, limit) };
  }

  private async assertPoolOfLab(refs: RegistryReferences, poolId: string, labCode: string): Promise<void> {
    const poolLab = refs.pools.has(poolId.toLowerCase()) ? await this.labs.labOfPool(poolId) : undefined;
    if (poolLab === undefined) throw referenceNotFound('body.poolId', 'no such pool');
    if (poolLab !== labCode) throw fieldError('body.poolId', `the pool belongs to lab ${poolLab}`);
  }

  private async assertScreeningTarget(programId: string, siteId: string | undefined): Promise<void> {
    const target = await this.labs.screeningTarget(programId, siteId ?? null);
    if (!target.program) throw fieldError('body.programId', 'no such screening program');
    if (!target.site) throw fieldError('body.siteId', 'no such site in this program');
  }

}
