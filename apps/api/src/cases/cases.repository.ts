import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { CaseDetail, CaseStatus, CaseSummary, Person, PersonInput } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';
import { addDays, F0_ACTIVE, MONITORED } from '@frontline/cases';

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

interface PersonDbRow {
  id: string;
  full_name: string | null;
  birth_year: number | null;
  sex: Person['sex'];
  phone: string | null;
  national_id: string | null;
  address: string | null;
  unit_code: string;
  unit_path: string[];
  lat: number | null;
  lon: number | null;
  created_at: Date;
}

interface HistoryDbRow {
  at: Date;
  from_classification: CaseSummary['classification'] | null;
  to_classification: CaseSummary['classification'];
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  actor: string;
  note: string | null;
  event_id: string | null;
}

interface ExportDbRow {
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
}

/** A case with the unit path its jurisdiction is checked against (the contract does not carry it). */
export interface LocatedCase {
  summary: CaseSummary;
  unitPath: string[];
}

/** A person with the unit path its jurisdiction is checked against. */
export interface LocatedPerson {
  person: Person;
  unitPath: string[];
}

/** A history entry as stored; the service adds the actor's display name. */
export type StoredHistoryEntry = Omit<CaseDetail['history'][number], 'actorName'>;

/** What a case detail shows besides the case itself. */
export interface CaseRecordParts {
  history: StoredHistoryEntry[];
  tests: CaseDetail['tests'];
  contacts: CaseDetail['contacts'];
}

/** Filters of the case list; every one is optional but the unit. */
export interface CaseListFilter {
  unitCode: string;
  classification?: string;
  status?: string;
  clusterId?: string;
  /** true: only cases with a pending F0 proposal; false: only cases without one. */
  proposed?: boolean;
  createdFrom?: Date;
  createdBefore?: Date;
  /** The next page: cases after this one in (created_at, id) descending order. */
  afterId?: string;
  limit: number;
}

/** One line of the personal-data export: a case and its person. */
export interface CaseExportRow {
  caseId: string;
  classification: string;
  status: string;
  unit: string;
  sourceCaseId: string | null;
  exposureDate: string | null;
  exposureSetting: string | null;
  monitoringStart: string;
  monitoringEnds: string;
  personId: string;
  personUnit: string;
  fullName: string | null;
  birthYear: number | null;
  sex: string;
  phone: string | null;
  nationalId: string | null;
  address: string | null;
}

const CASE_SELECT = `SELECT id, person_id, classification, status, unit_code, unit_path, isolation_kind, isolation_place,
  monitoring_start::text AS monitoring_start, monitoring_days, repositive, source_case_id, exposure_date::text AS exposure_date,
  exposure_setting, exposure_place, exit_test_at, proposal_test_id, cluster_id, created_at, updated_at FROM cases`;

const PERSON_SELECT = `SELECT id, full_name, birth_year, sex, phone, national_id, address, unit_code, unit_path,
  ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon, created_at FROM people`;

/** Statuses of a case still being followed (a person has at most one such case). */
const OPEN_STATUSES: readonly string[] = [...MONITORED, ...F0_ACTIVE];

function toSummary(r: CaseDbRow): CaseSummary {
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

function toPerson(r: PersonDbRow): Person {
  return {
    id: r.id,
    fullName: r.full_name,
    birthYear: r.birth_year,
    sex: r.sex,
    phone: r.phone,
    nationalId: r.national_id,
    address: r.address,
    unit: r.unit_code,
    location: r.lat === null || r.lon === null ? null : { lat: Number(r.lat), lon: Number(r.lon) },
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * The case registry's rows as the `/cases` and `/people` APIs read and write them: `cases`, their
 * history, tests and contacts, and `people`. The case rules' own writes (status moves, history,
 * tests, clusters) stay in libs/cases `CaseEngine`, shared with the worker.
 */
@Injectable()
export class CasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /* ---------------- people ---------------- */

  /** Inserts a named person; returns the new id. */
  async insertPerson(em: EntityManager, input: PersonInput, unit: { code: string; path: string[] }, createdBy: string): Promise<string> {
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
        createdBy,
      ],
    );
    return id;
  }

  async person(id: string, db: Queryable = this.dataSource): Promise<LocatedPerson | null> {
    const [row] = (await db.query(`${PERSON_SELECT} WHERE id = $1`, [id])) as PersonDbRow[];
    return row ? { person: toPerson(row), unitPath: row.unit_path } : null;
  }

  /* ---------------- cases ---------------- */

  async find(id: string, db: Queryable = this.dataSource): Promise<LocatedCase | null> {
    const [row] = (await db.query(`${CASE_SELECT} WHERE id = $1`, [id])) as CaseDbRow[];
    return row ? { summary: toSummary(row), unitPath: row.unit_path } : null;
  }

  /** The unit path of a case (a source case named by a request), or null when there is no such case. */
  async unitPathOf(id: string, db: Queryable = this.dataSource): Promise<string[] | null> {
    const [row] = (await db.query(`SELECT unit_path FROM cases WHERE id = $1`, [id])) as { unit_path: string[] }[];
    return row?.unit_path ?? null;
  }

  /** The person's case still being followed, if any. */
  async openCaseOf(em: EntityManager, personId: string): Promise<Pick<CaseSummary, 'id' | 'classification' | 'status'> | null> {
    const [row] = (await em.query(
      `SELECT id, classification, status FROM cases WHERE person_id = $1 AND status = ANY($2::text[]) LIMIT 1`,
      [personId, OPEN_STATUSES],
    )) as Pick<CaseSummary, 'id' | 'classification' | 'status'>[];
    return row ?? null;
  }

  /** Whether the person recovered from an earlier F0 (a new F0 is then a re-positive). */
  async hasRecoveredF0(em: EntityManager, personId: string): Promise<boolean> {
    const rows = (await em.query(
      `SELECT 1 FROM cases WHERE person_id = $1 AND classification = 'F0' AND status = 'recovered' LIMIT 1`,
      [personId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The history, tests and contacts of a case, in the order the detail shows them. */
  async parts(em: EntityManager, id: string): Promise<CaseRecordParts> {
    const history = (await em.query(
      `SELECT at, from_classification, to_classification, from_status, to_status, actor, note, event_id
       FROM case_status_history WHERE case_id = $1 ORDER BY id`,
      [id],
    )) as HistoryDbRow[];
    const tests = (await em.query(
      `SELECT test_id, method, result, taken_at FROM case_tests WHERE case_id = $1 ORDER BY taken_at, test_id`,
      [id],
    )) as { test_id: string; method: 'rt-pcr' | 'antigen'; result: 'positive' | 'negative' | 'inconclusive'; taken_at: Date }[];
    const contacts = (await em.query(
      `SELECT id, classification, status FROM cases WHERE source_case_id = $1 ORDER BY created_at, id`,
      [id],
    )) as CaseDetail['contacts'];
    return {
      history: history.map((h) => ({
        at: h.at.toISOString(),
        fromClassification: h.from_classification,
        toClassification: h.to_classification,
        fromStatus: h.from_status,
        toStatus: h.to_status,
        actor: h.actor,
        note: h.note,
        eventId: h.event_id,
      })),
      tests: tests.map((t) => ({ testId: t.test_id, method: t.method, result: t.result, takenAt: t.taken_at.toISOString() })),
      contacts,
    };
  }

  /** The cases of a unit's subtree, newest first. */
  async list(filter: CaseListFilter): Promise<CaseSummary[]> {
    const params: unknown[] = [[filter.unitCode]];
    const where = ['unit_path @> $1::text[]'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.classification) add('classification = ?', filter.classification);
    if (filter.status) add('status = ?', filter.status);
    if (filter.clusterId) add('cluster_id = ?', filter.clusterId);
    if (filter.proposed !== undefined) where.push(`proposal_test_id IS ${filter.proposed ? 'NOT ' : ''}NULL`);
    if (filter.createdFrom) add('created_at >= ?', filter.createdFrom);
    if (filter.createdBefore) add('created_at < ?', filter.createdBefore);
    // Compared at the column's full precision, which a timestamp sent back by a client would not have.
    if (filter.afterId) add(`(created_at, id) < ANY (SELECT a.created_at, a.id FROM cases a WHERE a.id = ?::uuid)`, filter.afterId);
    params.push(filter.limit);
    const rows = (await this.dataSource.query(
      `${CASE_SELECT} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as CaseDbRow[];
    return rows.map(toSummary);
  }

  /**
   * Cases of a unit's subtree with their people, oldest first, for the export; only people
   * within `personScope` (the caller's unit) are joined.
   */
  async exportRows(
    em: EntityManager,
    filter: { unitCode: string; personScope: string; classification?: string; status?: string; limit: number },
  ): Promise<CaseExportRow[]> {
    const rows = (await em.query(
      `SELECT c.id, c.classification, c.status, c.unit_code, c.source_case_id, c.exposure_date::text AS exposure_date,
              c.exposure_setting, c.monitoring_start::text AS monitoring_start, c.monitoring_days,
              p.id AS person_id, p.unit_code AS person_unit, p.full_name, p.birth_year, p.sex,
              p.phone, p.national_id, p.address
       FROM cases c JOIN people p ON p.id = c.person_id
       WHERE c.unit_path @> $1::text[] AND p.unit_path @> $2::text[]
         AND ($3::text IS NULL OR c.classification = $3) AND ($4::text IS NULL OR c.status = $4)
       ORDER BY c.created_at, c.id LIMIT $5`,
      [[filter.unitCode], [filter.personScope], filter.classification ?? null, filter.status ?? null, filter.limit],
    )) as ExportDbRow[];
    return rows.map((r) => ({
      caseId: r.id,
      classification: r.classification,
      status: r.status,
      unit: r.unit_code,
      sourceCaseId: r.source_case_id,
      exposureDate: r.exposure_date,
      exposureSetting: r.exposure_setting,
      monitoringStart: r.monitoring_start,
      monitoringEnds: addDays(r.monitoring_start, r.monitoring_days),
      personId: r.person_id,
      personUnit: r.person_unit,
      fullName: r.full_name,
      birthYear: r.birth_year,
      sex: r.sex,
      phone: r.phone,
      nationalId: r.national_id,
      address: r.address,
    }));
  }
}
