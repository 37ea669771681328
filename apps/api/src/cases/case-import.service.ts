import { BadRequestException, ForbiddenException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  caseImportSchema,
  CONTACT_SETTINGS,
  createCaseSchema,
  ImportRowError,
  personInputSchema,
} from '@frontline/contracts';
import { CsvSyntaxError, parseCsv } from '@frontline/csv';
import { UnitDirectory, UnitOfWork } from '@frontline/spine';
import { ageBand, CaseConflict, CaseEngine } from '@frontline/cases';
import type { Principal } from '../auth/token.service';
import { CasesRepository } from './cases.repository';
import { CasesService, RequestClient } from './cases.service';

/** The columns of docs/imports.md, in their documented order. */
export const IMPORT_COLUMNS = [
  'ref',
  'classification',
  'full_name',
  'birth_year',
  'sex',
  'phone',
  'national_id',
  'address',
  'unit',
  'source',
  'exposure_date',
  'setting',
  'exposure_place',
  'isolation',
  'isolation_place',
  'monitoring_start',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['classification', 'full_name', 'unit'];
const MAX_ROWS = 5000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEX: Record<string, 'male' | 'female' | 'unknown'> = {
  nam: 'male',
  male: 'male',
  m: 'male',
  'nữ': 'female',
  nu: 'female',
  female: 'female',
  f: 'female',
  '': 'unknown',
};

export interface ImportResult {
  mode: 'all-or-nothing' | 'valid-rows';
  dryRun: boolean;
  rows: number;
  committed: number;
  cases: { row: number; ref: string | null; id: string }[];
  errors: ImportRowError[];
}

interface ParsedRow {
  row: number;
  ref: string | null;
  source: { ref: string } | { caseId: string } | null;
  person: z.infer<typeof personInputSchema>;
  body: Omit<z.input<typeof createCaseSchema>, 'person' | 'personId'>;
}

/** dd/MM/yyyy (1 or 2 digits for day and month) to YYYY-MM-DD; null when it is no real date. */
export function parseDay(value: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * CSV import of cases and contacts (docs/imports.md): every row is checked and every problem
 * reported with its row number (the line of the file, as a spreadsheet numbers it). Mode
 * `all-or-nothing` (default) commits nothing when any row is wrong; `valid-rows` commits the
 * rows without problems (and not the contacts of a refused row). One transaction either way.
 */
@Injectable()
export class CaseImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: CaseEngine,
    private readonly cases: CasesService,
    private readonly repository: CasesRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly units: UnitDirectory,
  ) {}

  async import(request: z.infer<typeof caseImportSchema>, caller: Principal, client: RequestClient): Promise<ImportResult> {
    let records;
    try {
      records = parseCsv(request.csv);
    } catch (err) {
      if (err instanceof CsvSyntaxError)
        throw new BadRequestException({ message: `body.csv: ${err.message}`, details: [{ path: 'body.csv', message: err.message }] });
      throw err;
    }
    if (!records.length) throw new BadRequestException({ message: 'body.csv: empty', details: [{ path: 'body.csv', message: 'empty' }] });
    const header = records[0].fields.map((h) => h.trim().toLowerCase());
    const headerErrors: ImportRowError[] = [];
    header.forEach((h) => {
      if (!IMPORT_COLUMNS.includes(h as Column)) headerErrors.push({ row: 1, column: h, message: `unknown column (known: ${IMPORT_COLUMNS.join(', ')})` });
    });
    for (const col of REQUIRED) if (!header.includes(col)) headerErrors.push({ row: 1, column: col, message: 'required column missing' });
    if (records.length - 1 > MAX_ROWS) headerErrors.push({ row: 1, column: null, message: `at most ${MAX_ROWS} rows per file` });
    if (headerErrors.length) throw new UnprocessableEntityException({ message: 'the header is not the documented one', details: headerErrors.map(detail) });

    await this.units.fresh();
    const errors: ImportRowError[] = [];
    const parsed: ParsedRow[] = [];
    const refs = new Map<string, number>();
    /** Refs of rows with problems: their contacts cannot be linked. */
    const badRefs = new Set<string>();
    for (const record of records.slice(1)) {
      const cell = (c: Column) => (record.fields[header.indexOf(c)] ?? '').trim();
      const rowErrors: ImportRowError[] = [];
      const fail = (column: Column | null, message: string) => rowErrors.push({ row: record.line, column, message });
      if (record.fields.length !== header.length) fail(null, `${record.fields.length} fields, the header has ${header.length}`);
      const ref = cell('ref') || null;
      if (ref && refs.has(ref)) fail('ref', `ref "${ref}" is already used on row ${refs.get(ref)}`);
      const unit = this.units.get(cell('unit'));
      if (!unit) fail('unit', `unknown unit code "${cell('unit')}"`);
      else if (!UnitDirectory.within(caller.unitCode, unit.path)) fail('unit', `unit ${unit.code} is outside your jurisdiction`);
      const sex = SEX[cell('sex').toLowerCase()];
      if (!sex) fail('sex', 'nam, nữ, male, female or empty');
      const personRaw = {
        fullName: cell('full_name'),
        ...(cell('birth_year') ? { birthYear: Number(cell('birth_year')) } : {}),
        sex: sex ?? 'unknown',
        ...(cell('phone') ? { phone: cell('phone') } : {}),
        ...(cell('national_id') ? { nationalId: cell('national_id') } : {}),
        ...(cell('address') ? { address: cell('address') } : {}),
        unit: cell('unit'),
      };
      const person = personInputSchema.safeParse(personRaw);
      if (!person.success) for (const issue of person.error.issues) fail(columnOf(String(issue.path[0])), issue.message);
      const day = (c: Column): string | undefined => {
        const v = cell(c);
        if (!v) return undefined;
        const d = parseDay(v);
        if (!d) fail(c, `"${v}" is not a date dd/MM/yyyy`);
        return d ?? undefined;
      };
      const exposureDate = day('exposure_date');
      const monitoringStart = day('monitoring_start');
      const sourceText = cell('source');
      let source: ParsedRow['source'] = null;
      if (sourceText) {
        if (UUID.test(sourceText)) source = { caseId: sourceText.toLowerCase() };
        else if (badRefs.has(sourceText)) fail('source', `its source row "${sourceText}" (row ${refs.get(sourceText)}) has errors`);
        else if (refs.has(sourceText)) source = { ref: sourceText };
        else fail('source', `"${sourceText}" is neither a case id nor the ref of an earlier row`);
      }
      const setting = cell('setting');
      if (setting && !(CONTACT_SETTINGS as readonly string[]).includes(setting)) fail('setting', `one of ${CONTACT_SETTINGS.join(', ')}`);
      const isolation = cell('isolation');
      if (isolation && isolation !== 'facility' && isolation !== 'home') fail('isolation', 'facility, home or empty');
      const body = {
        classification: cell('classification') as 'F0',
        ...(isolation ? { isolation: { kind: isolation as 'home', ...(cell('isolation_place') ? { place: cell('isolation_place') } : {}) } } : {}),
        ...(monitoringStart ? { monitoringStart } : {}),
        ...(source ? { sourceCaseId: '00000000-0000-4000-8000-000000000000' } : {}),
        ...(exposureDate || setting
          ? { exposure: { date: exposureDate ?? '', setting: setting as 'household', ...(cell('exposure_place') ? { place: cell('exposure_place') } : {}) } }
          : {}),
      };
      const checked = createCaseSchema.safeParse({ ...body, personId: '00000000-0000-4000-8000-000000000000' });
      if (!checked.success)
        for (const issue of checked.error.issues) {
          const path = issue.path.map(String);
          const column: Column | null =
            path[0] === 'classification' ? 'classification' : path[0] === 'sourceCaseId' ? 'source' : path[0] === 'exposure' ? (path[1] === 'setting' ? 'setting' : 'exposure_date') : null;
          if (!rowErrors.some((e) => e.column === column)) fail(column, issue.message);
        }
      if (ref) refs.set(ref, record.line);
      if (rowErrors.length && ref) badRefs.add(ref);
      if (rowErrors.length) errors.push(...rowErrors);
      else parsed.push({ row: record.line, ref, source, person: person.data!, body });
    }

    const result: ImportResult = { mode: request.mode, dryRun: request.dryRun, rows: records.length - 1, committed: 0, cases: [], errors };
    if (request.dryRun || (request.mode === 'all-or-nothing' && errors.length)) return finish(result);

    await this.commit(parsed, result, request.mode, caller, client);
    return finish(result);
  }

  /** One unit of work; each row under its own savepoint, so a refused row leaves no rows and no events. */
  private async commit(rows: ParsedRow[], result: ImportResult, mode: ImportResult['mode'], caller: Principal, client: RequestClient) {
    const actor = `user:${caller.userId}`;
    const rollbackAll = new Error('rollback');
    try {
      await this.unitOfWork.run(async (em) => {
        const idByRef = new Map<string, string>();
        for (const row of rows) {
          try {
            const id = await this.unitOfWork.savepoint(em, () => this.commitRow(em, row, idByRef, actor, caller, client));
            if (row.ref) idByRef.set(row.ref, id);
            result.cases.push({ row: row.row, ref: row.ref, id });
          } catch (err) {
            const message =
              err instanceof CaseConflict || err instanceof ForbiddenException
                ? err.message
                : (err as { code?: string }).code === '23505'
                  ? 'a person with this national ID is already registered'
                  : null;
            if (message === null) throw err;
            result.errors.push({ row: row.row, column: null, message });
          }
        }
        if (mode === 'all-or-nothing' && result.errors.length) throw rollbackAll;
      });
    } catch (err) {
      if (err !== rollbackAll) throw err;
      result.cases = [];
      return;
    }
    result.committed = result.cases.length;
  }

  private async commitRow(
    em: EntityManager,
    row: ParsedRow,
    idByRef: Map<string, string>,
    actor: string,
    caller: Principal,
    client: RequestClient,
  ): Promise<string> {
    let sourceCaseId: string | undefined;
    if (row.source && 'ref' in row.source) {
      sourceCaseId = idByRef.get(row.source.ref);
      if (!sourceCaseId) throw new CaseConflict(`its source row "${row.source.ref}" was not imported`);
    } else if (row.source) {
      const sourcePath = await this.repository.unitPathOf(row.source.caseId, em);
      if (!sourcePath) throw new CaseConflict(`no case with id "${row.source.caseId}"`);
      if (!UnitDirectory.within(caller.unitCode, sourcePath)) throw new CaseConflict('the source case is outside your jurisdiction');
      sourceCaseId = row.source.caseId;
    }
    const unit = this.units.get(row.person.unit)!;
    const personId = await this.cases.insertPerson(em, row.person, unit, caller, client);
    const body = row.body as z.infer<typeof createCaseSchema>;
    const created = await this.engine.create(
      em,
      {
        personId,
        classification: body.classification,
        unitCode: unit.code,
        unitPath: unit.path,
        isolation: body.isolation,
        monitoringStart: body.monitoringStart,
        sourceCaseId,
        exposure: body.exposure,
        ageBand: ageBand(row.person.birthYear),
        sex: row.person.sex,
      },
      actor,
    );
    return created.id;
  }
}

function columnOf(field: string): Column | null {
  const map: Record<string, Column> = {
    fullName: 'full_name',
    birthYear: 'birth_year',
    sex: 'sex',
    phone: 'phone',
    nationalId: 'national_id',
    address: 'address',
    unit: 'unit',
  };
  return map[field] ?? null;
}

function detail(e: ImportRowError) {
  return { path: `row ${e.row}${e.column ? `.${e.column}` : ''}`, message: e.message };
}

function finish(result: ImportResult): ImportResult {
  result.errors.sort((a, b) => a.row - b.row);
  return result;
}
