import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
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
import { allows } from '@frontline/contracts';
import { toCsv } from '@frontline/csv';
import type { Logger } from '@frontline/logger';
import { LOGGER, UnitDirectory, UnitNode, UnitOfWork } from '@frontline/spine';
import { addDays, ageBand, CaseConflict, CaseEngine, CaseRow } from '@frontline/cases';
import { localDateStart, nextLocalDate } from '@frontline/time';
import type { Principal } from '../auth/token.service';
import { actorNames } from '../common/actor-names';
import { unitInJurisdiction } from '../common/jurisdiction';
import { fieldError } from '../common/validation';
import { toDayMonthYear } from './day-month-year';
import { DISCLOSED_PERSON_FIELDS, loadPerson, PersonRow, toPerson } from './person-access';

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

interface CaseDbRow {
  id: string;
  person_id: string;
  classification: CaseSummary['classification'];
  status: CaseSummary['status'];
  unit_code: string;
  unit_path: string[];
  isolation_kind: 'facility' | 'home' | null;
  isolation_place: string | null;
  monitoring_start: string;
  monitoring_days: number;
  repositive: boolean;
  source_case_id: string | null;
  exposure_date: string | null;
  exposure_setting: string | null;
  exposure_place: string | null;
  exit_test_at: Date | null;
  proposal_test_id: string | null;
  cluster_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const CASE_SELECT = `SELECT id, person_id, classification, status, unit_code, unit_path, isolation_kind, isolation_place,
  monitoring_start::text AS monitoring_start, monitoring_days, repositive, source_case_id, exposure_date::text AS exposure_date,
  exposure_setting, exposure_place, exit_test_at, proposal_test_id, cluster_id, created_at, updated_at FROM cases`;

export function toSummary(r: CaseDbRow): CaseSummary {
  return {
    id: r.id,
    personId: r.person_id,
    classification: r.classification,
    status: r.status,
    unit: r.unit_code,
    isolation: r.isolation_kind ? { kind: r.isolation_kind, place: r.isolation_place } : null,
    monitoringStart: r.monitoring_start,
    monitoringDays: r.monitoring_days,
    monitoringEnds: addDays(r.monitoring_start, r.monitoring_days),
    repositive: r.repositive,
    sourceCaseId: r.source_case_id,
    exposure:
      r.exposure_date && r.exposure_setting
        ? { date: r.exposure_date, setting: r.exposure_setting as never, place: r.exposure_place }
        : null,
    exitTestAt: r.exit_test_at ? r.exit_test_at.toISOString() : null,
    proposalTestId: r.proposal_test_id,
    clusterId: r.cluster_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * People and cases over REST. Every change commits its rows and events in one transaction,
 * then publishes; every response with personal fields writes its audit row in the transaction
 * that reads them (docs/decisions/0006-audit-log.md).
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
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

  private within(caller: Principal, path: string[], what: string): void {
    if (!UnitDirectory.within(caller.unitCode, path)) throw new ForbiddenException(`this ${what} is outside your jurisdiction`);
  }

  private actorOf(caller: Principal): string {
    return `user:${caller.userId}`;
  }

  private auditActor(caller: Principal) {
    return { userId: caller.userId, username: caller.username, role: caller.role };
  }

  /* ---------------- people ---------------- */

  async insertPerson(em: EntityManager, input: PersonInput, unit: UnitNode, caller: Principal, client: RequestClient): Promise<string> {
    const id = randomUUID();
    await em.query(
      `INSERT INTO people (id, full_name, birth_year, sex, phone, national_id, address, unit_code, unit_path, location, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
               CASE WHEN $10::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($10, $11), 4326)::geography END, $12)`,
      [
        id,
        input.fullName,
        input.birthYear ?? null,
        input.sex,
        input.phone ?? null,
        input.nationalId ?? null,
        input.address ?? null,
        unit.code,
        unit.path,
        input.location?.lon ?? null,
        input.location?.lat ?? null,
        this.actorOf(caller),
      ],
    );
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
    const row = await loadPerson(this.dataSource.manager, id);
    if (!row) throw new NotFoundException(`no person with id "${id}"`);
    this.within(caller, row.unit_path, 'person');
    return this.dataSource.transaction(async (em) => {
      const fresh = (await loadPerson(em, id))!;
      await this.audit.record(
        {
          actor: this.auditActor(caller),
          action: 'read',
          recordType: 'person',
          recordId: id,
          fields: DISCLOSED_PERSON_FIELDS,
          unitCode: fresh.unit_code,
          ...client,
        },
        em,
      );
      return toPerson(fresh);
    });
  }

  /* ---------------- cases ---------------- */

  async createCase(body: CreateCaseRequest, caller: Principal, client: RequestClient): Promise<CaseSummary> {
    const personUnit = body.person ? await unitInJurisdiction(this.units, body.person.unit, caller) : null;
    const caseId = await this.change(async (em) => {
      let personId = body.personId;
      let person: PersonRow | null = null;
      if (personId) {
        person = await loadPerson(em, personId);
        if (!person) throw fieldError('body.personId', `no person with id "${personId}"`);
        this.within(caller, person.unit_path, 'person');
      } else {
        personId = await this.insertPerson(em, body.person!, personUnit!, caller, client);
      }
      const unit = body.unit
        ? await unitInJurisdiction(this.units, body.unit, caller)
        : person
          ? { code: person.unit_code, path: person.unit_path }
          : personUnit!;
      if (body.sourceCaseId) {
        const [source] = (await em.query(`SELECT unit_path FROM cases WHERE id = $1`, [body.sourceCaseId])) as { unit_path: string[] }[];
        if (!source) throw fieldError('body.sourceCaseId', `no case with id "${body.sourceCaseId}"`);
      }
      const open = (await em.query(
        `SELECT id, classification, status FROM cases WHERE person_id = $1
           AND status IN ('identified', 'quarantined', 'tested', 'proposed', 'admitted', 'treated') LIMIT 1`,
        [personId],
      )) as { id: string; classification: string; status: string }[];
      if (open.length)
        throw new CaseConflict(`this person already has an open case ${open[0].id} (${open[0].classification}, ${open[0].status})`);
      const recovered = (await em.query(
        `SELECT 1 FROM cases WHERE person_id = $1 AND classification = 'F0' AND status = 'recovered' LIMIT 1`,
        [personId],
      )) as unknown[];
      const birth = person?.birth_year ?? body.person?.birthYear;
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
          repositive: body.classification === 'F0' && recovered.length > 0,
          ageBand: ageBand(birth),
          sex: person?.sex ?? body.person?.sex,
        },
        this.actorOf(caller),
      );
      return { value: created.id, events: created.events };
    });
    return (await this.summary(caseId))!;
  }

  private async summary(id: string, em: EntityManager = this.dataSource.manager): Promise<CaseSummary | null> {
    const rows = (await em.query(`${CASE_SELECT} WHERE id = $1`, [id])) as CaseDbRow[];
    return rows[0] ? toSummary(rows[0]) : null;
  }

  private async caseInJurisdiction(id: string, caller: Principal): Promise<CaseDbRow> {
    const rows = (await this.dataSource.query(`${CASE_SELECT} WHERE id = $1`, [id])) as CaseDbRow[];
    if (!rows[0]) throw new NotFoundException(`no case with id "${id}"`);
    this.within(caller, rows[0].unit_path, 'case');
    return rows[0];
  }

  /** Case detail: history, tests, contacts; the person for allowed roles (audited read). */
  async detail(id: string, caller: Principal, client: RequestClient): Promise<CaseDetail> {
    await this.caseInJurisdiction(id, caller);
    return this.dataSource.transaction(async (em) => {
      const row = ((await em.query(`${CASE_SELECT} WHERE id = $1`, [id])) as CaseDbRow[])[0];
      const history = (await em.query(
        `SELECT at, from_classification, to_classification, from_status, to_status, actor, note, event_id
         FROM case_status_history WHERE case_id = $1 ORDER BY id`,
        [id],
      )) as {
        at: Date;
        from_classification: CaseSummary['classification'] | null;
        to_classification: CaseSummary['classification'];
        from_status: CaseStatus | null;
        to_status: CaseStatus;
        actor: string;
        note: string | null;
        event_id: string | null;
      }[];
      const tests = (await em.query(
        `SELECT test_id, method, result, taken_at FROM case_tests WHERE case_id = $1 ORDER BY taken_at, test_id`,
        [id],
      )) as { test_id: string; method: 'rt-pcr' | 'antigen'; result: 'positive' | 'negative' | 'inconclusive'; taken_at: Date }[];
      const contacts = (await em.query(
        `SELECT id, classification, status FROM cases WHERE source_case_id = $1 ORDER BY created_at, id`,
        [id],
      )) as { id: string; classification: CaseSummary['classification']; status: CaseStatus }[];
      const names = await actorNames(em, history.map((h) => h.actor));
      const detail: CaseDetail = {
        ...toSummary(row),
        history: history.map((h) => ({
          at: h.at.toISOString(),
          fromClassification: h.from_classification,
          toClassification: h.to_classification,
          fromStatus: h.from_status,
          toStatus: h.to_status,
          actor: h.actor,
          actorName: names.get(h.actor) ?? null,
          note: h.note,
          eventId: h.event_id,
        })),
        tests: tests.map((t) => ({ testId: t.test_id, method: t.method, result: t.result, takenAt: t.taken_at.toISOString() })),
        contacts,
      };
      if (allows(caller.role, 'personal-data.read')) {
        const person = await loadPerson(em, row.person_id);
        if (person && UnitDirectory.within(caller.unitCode, person.unit_path)) {
          await this.audit.record(
            {
              actor: this.auditActor(caller),
              action: 'read',
              recordType: 'person',
              recordId: person.id,
              fields: DISCLOSED_PERSON_FIELDS,
              unitCode: person.unit_code,
              ...client,
            },
            em,
          );
          detail.person = toPerson(person);
        }
      }
      return detail;
    });
  }

  /** Case list without personal fields (nothing to audit): filters by unit, classification, status, cluster, dates. */
  async list(query: z.infer<typeof caseListQuerySchema>, caller: Principal): Promise<CaseSummary[]> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    const params: unknown[] = [[unit.code]];
    const where = ['unit_path @> $1::text[]'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.classification) add('classification = ?', query.classification);
    if (query.status) add('status = ?', query.status);
    if (query.cluster) add('cluster_id = ?', query.cluster);
    if (query.proposed) where.push(`proposal_test_id IS ${query.proposed === 'true' ? 'NOT ' : ''}NULL`);
    // Local days of the deployment's time zone.
    if (query.from) add('created_at >= ?', new Date(localDateStart(query.from)));
    if (query.to) add('created_at < ?', new Date(localDateStart(nextLocalDate(query.to))));
    // The next page: after the given case in (created_at, id) descending order, at the column's full precision.
    if (query.after)
      add(
        `(created_at, id) < ANY (SELECT a.created_at, a.id FROM cases a WHERE a.id = ?::uuid)`,
        query.after.toLowerCase(),
      );
    params.push(query.limit);
    const rows = (await this.dataSource.query(
      `${CASE_SELECT} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as CaseDbRow[];
    return rows.map(toSummary);
  }

  /**
   * Cases of a unit with their people as CSV, for roles allowed to read personal data: one
   * `export` audit row per person, written in the transaction that reads them.
   */
  async exportCsv(query: z.infer<typeof caseListQuerySchema>, caller: Principal, client: RequestClient): Promise<string> {
    const unit = await unitInJurisdiction(this.units, query.unit ?? caller.unitCode, caller);
    return this.dataSource.transaction(async (em) => {
      const rows = (await em.query(
        `SELECT c.id, c.classification, c.status, c.unit_code, c.source_case_id, c.exposure_date::text AS exposure_date,
                c.exposure_setting, c.monitoring_start::text AS monitoring_start, c.monitoring_days,
                p.id AS person_id, p.unit_code AS person_unit, p.unit_path AS person_path, p.full_name, p.birth_year, p.sex,
                p.phone, p.national_id, p.address
         FROM cases c JOIN people p ON p.id = c.person_id
         WHERE c.unit_path @> $1::text[] AND p.unit_path @> $2::text[]
           AND ($3::text IS NULL OR c.classification = $3) AND ($4::text IS NULL OR c.status = $4)
         ORDER BY c.created_at, c.id LIMIT $5`,
        [[unit.code], [caller.unitCode], query.classification ?? null, query.status ?? null, EXPORT_MAX_ROWS],
      )) as {
        id: string;
        classification: string;
        status: string;
        unit_code: string;
        source_case_id: string | null;
        exposure_date: string | null;
        exposure_setting: string | null;
        monitoring_start: string;
        monitoring_days: number;
        person_id: string;
        person_unit: string;
        full_name: string | null;
        birth_year: number | null;
        sex: string;
        phone: string | null;
        national_id: string | null;
        address: string | null;
      }[];
      const persons = new Map(rows.map((r) => [r.person_id, r.person_unit]));
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
        r.id,
        r.classification,
        r.status,
        r.unit_code,
        r.full_name,
        r.birth_year,
        r.sex,
        r.phone,
        r.national_id,
        r.address,
        r.source_case_id,
        toDayMonthYear(r.exposure_date),
        r.exposure_setting,
        toDayMonthYear(r.monitoring_start),
        toDayMonthYear(addDays(r.monitoring_start, r.monitoring_days)),
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
   * the same path a lab result takes.
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
      return [...appended.created, ...recorded.events];
    });
  }
}
