import {
  ConflictException,
  Inject,
  Injectable,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AuditService } from '@frontline/audit';
import type {
  CaseDetail,
  caseListQuerySchema,
  CaseStatus,
  CaseSummary,
  CaseTestRequest,
  CreateCaseRequest,
  Person,
  PersonInput,
  StoredEvent,
} from '@frontline/contracts';
import { allows, PERSON_FIELDS } from '@frontline/contracts';
import { toCsv } from '@frontline/csv';
import type { Logger } from '@frontline/logger';
import { LOGGER, UnitDirectory, UnitNode, UnitOfWork } from '@frontline/spine';
import { ageBand, CaseConflict, CaseEngine, CaseRow } from '@frontline/cases';
import { writeEventResults } from '@frontline/lab-testing';
import { localDateStart, nextLocalDate } from '@frontline/time';
import type { Principal } from '../auth/token.service';
import { actorNames } from '../common/actor-names';
import { reachableRecord, referenceNotFound, referencesInJurisdiction, unitInJurisdiction } from '../common/jurisdiction';
import { fieldError } from '../common/validation';
import { toDayMonthYear } from './day-month-year';
import { CasesRepository, LocatedCase, LocatedPerson } from './cases.repository';

/** Columns of the personal-data export. */
const EXPORT_COLUMNS = [
  'case_id',
  'classification',
  'status',
  'unit',
  'full_name',
  'birth_year',
  'sex',
  'phone',
  'national_id',
  'address',
  'source_case_id',
  'exposure_date',
  'setting',
  'monitoring_start',
  'monitoring_ends',
] as const;
const EXPORTED_PERSON_FIELDS = ['fullName', 'birthYear', 'sex', 'phone', 'nationalId', 'address'];
const EXPORT_MAX_ROWS = 10_000;

export interface RequestClient {
  clientIp: string | null;
  userAgent: string | null;
}

/** The personal fields a response discloses (the audit row names them). */
const DISCLOSED_PERSON_FIELDS: readonly string[] = PERSON_FIELDS;

/**
 * People and cases over REST. Every change commits its rows and events in one transaction,
 * then publishes; every response with personal fields writes its audit row in the transaction
 * that reads them (docs/decisions/0006-audit-log.md).
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesRepository,
    private readonly engine: CaseEngine,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs a change in one unit of work (which publishes its events after the commit); a rule refusal is a 409. */
  async change<T>(work: (em: EntityManager) => Promise<{ value: T; events: StoredEvent[] }>): Promise<T> {
    let outcome: { value: T; events: StoredEvent[] };
    try {
      outcome = await this.unitOfWork.run(work);
    } catch (err) {
      if (err instanceof CaseConflict) throw new ConflictException(err.message);
      if ((err as { code?: string }).code === '23505' && String((err as Error).message).includes('people_national_id'))
        throw new ConflictException('a person with this national ID is already registered');
      throw err;
    }
    return outcome.value;
  }

  private actorOf(caller: Principal): string {
    return `user:${caller.userId}`;
  }

  private auditActor(caller: Principal) {
    return { userId: caller.userId, username: caller.username, role: caller.role };
  }

  /* ---------------- people ---------------- */

  async insertPerson(em: EntityManager, input: PersonInput, unit: UnitNode, caller: Principal, client: RequestClient): Promise<string> {
    const id = await this.cases.insertPerson(em, input, unit, this.actorOf(caller));
    const fields = Object.keys(input).filter((k) => k !== 'unit' && input[k as keyof PersonInput] !== undefined);
    await this.audit.record(
      { actor: this.auditActor(caller), action: 'change', recordType: 'person', recordId: id, fields, unitCode: unit.code, ...client },
      em,
    );
    return id;
  }

  async createPerson(input: PersonInput, caller: Principal, client: RequestClient): Promise<{ id: string }> {
    const unit = await unitInJurisdiction(this.units, input.unit, caller);
    return this.change(async (em) => ({ value: { id: await this.insertPerson(em, input, unit, caller, client) }, events: [] }));
  }

  /** One person's record: personal roles only, within the jurisdiction, audited. */
  async person(id: string, caller: Principal, client: RequestClient): Promise<Person> {
    reachableRecord(await this.cases.person(id), (p) => p.unitPath, caller, `no person with id "${id}"`);
    return this.dataSource.transaction(async (em) => {
      const fresh = (await this.cases.person(id, em))!.person;
      await this.audit.record(
        {
          actor: this.auditActor(caller),
          action: 'read',
          recordType: 'person',
          recordId: id,
          fields: DISCLOSED_PERSON_FIELDS,
          unitCode: fresh.unit,
          ...client,
        },
        em,
      );
      return fresh;
    });
  }

  /* ---------------- cases ---------------- */

  async createCase(body: CreateCaseRequest, caller: Principal, client: RequestClient): Promise<CaseSummary> {
    const personUnit = body.person ? await unitInJurisdiction(this.units, body.person.unit, caller) : null;
    await referencesInJurisdiction(this.dataSource, caller, [
      { kind: 'person', id: body.personId, path: 'body.personId' },
      { kind: 'case', id: body.sourceCaseId, path: 'body.sourceCaseId' },
    ]);
    const caseId = await this.change(async (em) => {
      let personId = body.personId;
      let known: LocatedPerson | null = null;
      if (personId) {
        known = await this.cases.person(personId, em);
        if (!known) throw referenceNotFound('body.personId', 'no such person');
      } else {
        personId = await this.insertPerson(em, body.person!, personUnit!, caller, client);
      }
      const unit = body.unit
        ? await unitInJurisdiction(this.units, body.unit, caller)
        : known
          ? { code: known.person.unit, path: known.unitPath }
          : personUnit!;
      const open = await this.cases.openCaseOf(em, personId);
      if (open) throw new CaseConflict(`this person already has an open case ${open.id} (${open.classification}, ${open.status})`);
      const person = known?.person;
      const birth = person?.birthYear ?? body.person?.birthYear;
      const created = await this.engine.create(
        em,
        {
          personId,
          classification: body.classification,
          unitCode: unit.code,
          unitPath: unit.path,
          isolation: body.isolation,
          monitoringStart: body.monitoringStart,
          sourceCaseId: body.sourceCaseId,
          exposure: body.exposure,
          method: body.method,
          source: body.source,
          repositive: body.classification === 'F0' && (await this.cases.hasRecoveredF0(em, personId)),
          ageBand: ageBand(birth),
          sex: person?.sex ?? body.person?.sex,
        },
        this.actorOf(caller),
      );
      return { value: created.id, events: created.events };
    });
    return (await this.summary(caseId))!;
  }

  private async summary(id: string): Promise<CaseSummary | null> {
    return (await this.cases.find(id))?.summary ?? null;
  }

  private async caseInJurisdiction(id: string, caller: Principal): Promise<LocatedCase> {
    return reachableRecord(await this.cases.find(id), (c) => c.unitPath, caller, `no case with id "${id}"`);
  }

  /** Case detail: history, tests, contacts; the person for allowed roles (audited read). */
  async detail(id: string, caller: Principal, client: RequestClient): Promise<CaseDetail> {
    await this.caseInJurisdiction(id, caller);
    return this.dataSource.transaction(async (em) => {
      const { summary } = (await this.cases.find(id, em))!;
      const { history, tests, contacts } = await this.cases.parts(em, id);
      const names = await actorNames(em, history.map((h) => h.actor));
      const detail: CaseDetail = {
        ...summary,
        history: history.map((h) => ({ ...h, actorName: names.get(h.actor) ?? null })),
        tests,
        contacts,
      };
      if (allows(caller.role, 'personal-data.read')) {
        const found = await this.cases.person(summary.personId, em);
        if (found && UnitDirectory.within(caller.unitCode, found.unitPath)) {
          await this.audit.record(
            {
              actor: this.auditActor(caller),
              action: 'read',
              recordType: 'person',
              recordId: found.person.id,
              fields: DISCLOSED_PERSON_FIELDS,
              unitCode: found.person.unit,
              ...client,
            },
            em,
          );
          detail.person = found.person;
        }
      }
      return detail;
    });
  }

  /** Case list without personal fields (nothing to audit): filters by unit, classification, status, cluster, dates. */
  async list(query: z.infer<typeof caseListQuerySchema>, caller: Principal): Promise<CaseSummary[]> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    return this.cases.list({
      unitCode: unit.code,
      classification: query.classification,
      status: query.status,
      clusterId: query.cluster,
      proposed: query.proposed === undefined ? undefined : query.proposed === 'true',
      // Local days of the deployment's time zone.
      createdFrom: query.from ? new Date(localDateStart(query.from)) : undefined,
      createdBefore: query.to ? new Date(localDateStart(nextLocalDate(query.to))) : undefined,
      afterId: query.after?.toLowerCase(),
      limit: query.limit,
    });
  }

  /**
   * Cases of a unit with their people as CSV, for roles allowed to read personal data: one
   * `export` audit row per person, written in the transaction that reads them.
   */
  async exportCsv(query: z.infer<typeof caseListQuerySchema>, caller: Principal, client: RequestClient): Promise<string> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    return this.dataSource.transaction(async (em) => {
      const rows = await this.cases.exportRows(em, {
        unitCode: unit.code,
        personScope: caller.unitCode,
        classification: query.classification,
        status: query.status,
        limit: EXPORT_MAX_ROWS,
      });
      const persons = new Map(rows.map((r) => [r.personId, r.personUnit]));
      await this.audit.record(
        [...persons].map(([id, unitCode]) => ({
          actor: this.auditActor(caller),
          action: 'export' as const,
          recordType: 'person',
          recordId: id,
          fields: EXPORTED_PERSON_FIELDS,
          unitCode,
          ...client,
        })),
        em,
      );
      const records = rows.map((r) => [
        r.caseId,
        r.classification,
        r.status,
        r.unit,
        r.fullName,
        r.birthYear,
        r.sex,
        r.phone,
        r.nationalId,
        r.address,
        r.sourceCaseId,
        toDayMonthYear(r.exposureDate),
        r.exposureSetting,
        toDayMonthYear(r.monitoringStart),
        toDayMonthYear(r.monitoringEnds),
      ]);
      return toCsv([EXPORT_COLUMNS, ...records], { bom: true });
    });
  }

  private async mutate(
    id: string,
    caller: Principal,
    work: (em: EntityManager, c: CaseRow) => Promise<StoredEvent[]>,
  ): Promise<CaseSummary> {
    await this.caseInJurisdiction(id, caller);
    await this.change(async (em) => {
      const c = (await this.engine.load(em, id, true))!;
      return { value: null, events: await work(em, c) };
    });
    return (await this.summary(id))!;
  }

  async move(id: string, to: CaseStatus, note: string | undefined, caller: Principal): Promise<CaseSummary> {
    return this.mutate(id, caller, (em, c) => this.engine.move(em, c, to, this.actorOf(caller), note ?? null));
  }

  async release(id: string, caller: Principal): Promise<CaseSummary> {
    return this.mutate(id, caller, (em, c) => this.engine.release(em, c, this.actorOf(caller), false));
  }

  /** The duty officer confirms an F0: a proposal, or a contact / suspected case reclassified. */
  async confirm(id: string, caller: Principal): Promise<CaseSummary> {
    return this.mutate(id, caller, (em, c) => this.engine.confirm(em, c, this.actorOf(caller)));
  }

  /**
   * A result recorded on the case: `test.resulted` (with the case id) committed with its effects
   * on the case (exit test, tested). A positive is left to the rule (proposal or confirmation),
   * the same path a lab result takes. The result's `lab_results` row is written in the same
   * transaction (docs/decisions/0028-one-owner-per-event-type.md).
   */
  async recordTest(id: string, body: CaseTestRequest, caller: Principal): Promise<CaseSummary> {
    const testId = body.testId ?? `T-${randomUUID()}`;
    const takenAt = body.takenAt ?? new Date().toISOString();
    if (Date.parse(takenAt) > Date.now() + 60_000) throw fieldError('body.takenAt', 'is in the future');
    return this.mutate(id, caller, async (em, c) => {
      const appended = await this.engine.store.append(
        [
          {
            input: {
              type: 'test.resulted',
              unit: c.unit_code,
              occurredAt: takenAt,
              payload: {
                testId,
                sampleId: body.sampleId ?? testId,
                method: body.method,
                result: body.result,
                caseId: c.id,
                ...(body.labCode ? { labCode: body.labCode } : {}),
              },
            },
            unitPath: c.unit_path,
          },
        ],
        this.actorOf(caller),
        em,
      );
      const recorded = await this.engine.recordTest(
        em,
        c,
        { testId, method: body.method, result: body.result, takenAt, eventId: appended.accepted[0].id },
        this.actorOf(caller),
      );
      if (!recorded.fresh) throw new CaseConflict(`test ${testId} is already recorded on this case`);
      // A person recorded it: its lab registry row commits with it, as one through /lab-results does.
      await writeEventResults(em, appended.created);
      return [...appended.created, ...recorded.events];
    });
  }
}
