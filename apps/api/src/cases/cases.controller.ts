import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import {
  caseImportSchema,
  caseListQuerySchema,
  CaseDetail,
  CaseSummary,
  CaseTestRequest,
  caseTestSchema,
  CreateCaseRequest,
  createCaseSchema,
  idParamsSchema,
  Person,
  PersonInput,
  personInputSchema,
  statusChangeSchema,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { clientInfo } from '../common/client-info';
import { ValidBody, ValidParams, ValidQuery } from '../common/validation';
import { CaseImportService, ImportResult } from './case-import.service';
import { CasesService } from './cases.service';

type RecordId = z.infer<typeof idParamsSchema>;

@Controller('api/v1/people')
export class PeopleController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Policy('cases.edit')
  create(@ValidBody(personInputSchema) body: PersonInput, @CurrentUser() caller: Principal, @Req() req: Request): Promise<{ id: string }> {
    return this.cases.createPerson(body, caller, clientInfo(req));
  }

  /** Personal record: commander / duty officer / admin of the person's jurisdiction; audited. */
  @Get(':id')
  @Policy('personal-data.read')
  get(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal, @Req() req: Request): Promise<Person> {
    return this.cases.person(id, caller, clientInfo(req));
  }
}

@Controller('api/v1/cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly imports: CaseImportService,
  ) {}

  /**
   * CSV import (docs/imports.md): 201 when rows were committed, 422 when the file was refused
   * as a whole (all-or-nothing with errors), 200 for a dry run or nothing to commit.
   */
  @Post('import')
  @Policy('cases.edit')
  async import(
    @ValidBody(caseImportSchema) body: z.infer<typeof caseImportSchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportResult> {
    const result = await this.imports.import(body, caller, clientInfo(req));
    res.status(result.committed ? 201 : result.errors.length && !result.dryRun ? 422 : 200);
    return result;
  }

  @Post()
  @Policy('cases.edit')
  create(@ValidBody(createCaseSchema) body: CreateCaseRequest, @CurrentUser() caller: Principal, @Req() req: Request): Promise<CaseSummary> {
    return this.cases.createCase(body, caller, clientInfo(req));
  }

  @Get()
  @Policy('cases.read')
  list(@ValidQuery(caseListQuerySchema) query: z.infer<typeof caseListQuerySchema>, @CurrentUser() caller: Principal): Promise<CaseSummary[]> {
    return this.cases.list(query, caller);
  }

  /** Personal-data export (CSV, UTF-8 with BOM, dates dd/MM/yyyy); each person exported is audited. */
  @Get('export.csv')
  @Policy('personal-data.export')
  async exportCsv(
    @ValidQuery(caseListQuerySchema) query: z.infer<typeof caseListQuerySchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await this.cases.exportCsv(query, caller, clientInfo(req));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="cases.csv"');
    res.setHeader('cache-control', 'no-store');
    return csv;
  }

  @Get(':id')
  @Policy('cases.read')
  detail(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal, @Req() req: Request): Promise<CaseDetail> {
    return this.cases.detail(id, caller, clientInfo(req));
  }

  @Post(':id/status')
  @Policy('cases.edit')
  @HttpCode(200)
  status(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(statusChangeSchema) { to, note }: z.infer<typeof statusChangeSchema>,
    @CurrentUser() caller: Principal,
  ): Promise<CaseSummary> {
    return this.cases.move(id, to, note, caller);
  }

  @Post(':id/release')
  @Policy('cases.edit')
  @HttpCode(200)
  release(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal): Promise<CaseSummary> {
    return this.cases.release(id, caller);
  }

  @Post(':id/confirm')
  @Policy('cases.edit')
  @HttpCode(200)
  confirm(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal): Promise<CaseSummary> {
    return this.cases.confirm(id, caller);
  }

  @Post(':id/tests')
  @Policy('cases.record-test')
  @HttpCode(201)
  test(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidBody(caseTestSchema) body: CaseTestRequest,
    @CurrentUser() caller: Principal,
  ): Promise<CaseSummary> {
    return this.cases.recordTest(id, body, caller);
  }
}
