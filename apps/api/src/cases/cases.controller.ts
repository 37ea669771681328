import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  caseImportSchema,
  caseListQuerySchema,
  CaseDetail,
  CaseSummary,
  caseTestSchema,
  createCaseSchema,
  Person,
  personInputSchema,
  statusChangeSchema,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { clientInfo } from '../common/client-info';
import { parseOrThrow } from '../common/validation';
import { CaseImportService, ImportResult } from './case-import.service';
import { CasesService } from './cases.service';

const idParams = z.strictObject({ id: z.uuid() });
const id = (params: unknown) => parseOrThrow(idParams, params, 'params').id.toLowerCase();

@Controller('api/v1/people')
export class PeopleController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  create(@Body() body: unknown, @CurrentUser() caller: Principal, @Req() req: Request): Promise<{ id: string }> {
    return this.cases.createPerson(parseOrThrow(personInputSchema, body), caller, clientInfo(req));
  }

  /** Personal record: commander / duty officer / admin of the person's jurisdiction; audited. */
  @Get(':id')
  get(@Param() params: unknown, @CurrentUser() caller: Principal, @Req() req: Request): Promise<Person> {
    return this.cases.person(id(params), caller, clientInfo(req));
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
  async import(
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportResult> {
    const result = await this.imports.import(parseOrThrow(caseImportSchema, body), caller, clientInfo(req));
    res.status(result.committed ? 201 : result.errors.length && !result.dryRun ? 422 : 200);
    return result;
  }

  @Post()
  create(@Body() body: unknown, @CurrentUser() caller: Principal, @Req() req: Request): Promise<CaseSummary> {
    return this.cases.createCase(parseOrThrow(createCaseSchema, body), caller, clientInfo(req));
  }

  @Get()
  list(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<CaseSummary[]> {
    return this.cases.list(parseOrThrow(caseListQuerySchema, query, 'query'), caller);
  }

  /** Personal-data export (CSV, UTF-8 with BOM, dates dd/MM/yyyy); each person exported is audited. */
  @Get('export.csv')
  async exportCsv(
    @Query() query: unknown,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await this.cases.exportCsv(parseOrThrow(caseListQuerySchema, query, 'query'), caller, clientInfo(req));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="cases.csv"');
    res.setHeader('cache-control', 'no-store');
    return csv;
  }

  @Get(':id')
  detail(@Param() params: unknown, @CurrentUser() caller: Principal, @Req() req: Request): Promise<CaseDetail> {
    return this.cases.detail(id(params), caller, clientInfo(req));
  }

  @Post(':id/status')
  @HttpCode(200)
  status(@Param() params: unknown, @Body() body: unknown, @CurrentUser() caller: Principal): Promise<CaseSummary> {
    const { to, note } = parseOrThrow(statusChangeSchema, body);
    return this.cases.move(id(params), to, note, caller);
  }

  @Post(':id/release')
  @HttpCode(200)
  release(@Param() params: unknown, @CurrentUser() caller: Principal): Promise<CaseSummary> {
    return this.cases.release(id(params), caller);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  confirm(@Param() params: unknown, @CurrentUser() caller: Principal): Promise<CaseSummary> {
    return this.cases.confirm(id(params), caller);
  }

  @Post(':id/tests')
  @HttpCode(201)
  test(@Param() params: unknown, @Body() body: unknown, @CurrentUser() caller: Principal): Promise<CaseSummary> {
    return this.cases.recordTest(id(params), parseOrThrow(caseTestSchema, body), caller);
  }
}
