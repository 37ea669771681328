import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import {
  labPoolRequestSchema,
  LabPoolResponse,
  labResultRequestSchema,
  LabResultResponse,
  labUploadErrorsQuerySchema,
  LabUploadErrorsResponse,
  labUploadListQuerySchema,
  LabUploadListResponse,
  labUploadQuerySchema,
  LabUploadStatusResponse,
  retestListQuerySchema,
  RetestListResponse,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { LabResultsService } from './lab-results.service';
import { LabUploadsService, uploadFormatOf } from './lab-uploads.service';

const idParams = z.strictObject({ id: z.uuid() });

@Controller('api/v1')
export class TestingController {
  constructor(
    private readonly results: LabResultsService,
    private readonly uploads: LabUploadsService,
  ) {}

  /** One lab result: 201 `{id, eventId, seq, retests}`; 409 when the lab's sample already has one. */
  @Post('lab-results')
  record(@Body() body: unknown, @CurrentUser() caller: Principal): Promise<LabResultResponse> {
    return this.results.record(parseOrThrow(labResultRequestSchema, body), caller);
  }

  /** A pooled sample and its 2..50 members: 201 with the pool id to record its result against. */
  @Post('lab-pools')
  createPool(@Body() body: unknown, @CurrentUser() caller: Principal): Promise<LabPoolResponse> {
    return this.results.createPool(parseOrThrow(labPoolRequestSchema, body), caller);
  }

  /** `?unit=CODE&status=open|done|all&limit=N`: who must be retested by RT-PCR in the unit's subtree. */
  @Get('retests')
  retests(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<RetestListResponse> {
    const q = parseOrThrow(retestListQuerySchema, query, 'query');
    return this.results.retests(caller, q.unit ?? caller.unitCode, q.status ?? 'open', q.limit ?? 1000);
  }

  /**
   * `?lab=CODE&unit=CODE` with the file as the body (`text/csv` or `application/json`, up to
   * 100,000 rows): 202 with the upload's status; 200 with the earlier upload for the same file.
   */
  @Post('lab-uploads')
  @HttpCode(202)
  async upload(
    @Query() query: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LabUploadStatusResponse> {
    const q = parseOrThrow(labUploadQuerySchema, query, 'query');
    const answer = await this.uploads.create(caller, q.lab, q.unit ?? caller.unitCode, uploadFormatOf(contentType), body);
    if (answer.alreadyUploaded) res.status(200);
    return answer;
  }

  /** `?limit=20`: the caller's own uploads, newest first, with their state. */
  @Get('lab-uploads')
  myUploads(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<LabUploadListResponse> {
    const q = parseOrThrow(labUploadListQuerySchema, query, 'query');
    return this.uploads.mine(caller, q.limit ?? 20);
  }

  @Get('lab-uploads/:id')
  uploadStatus(@Param() params: unknown, @CurrentUser() caller: Principal): Promise<LabUploadStatusResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.uploads.status(caller, id.toLowerCase());
  }

  /** `?offset=0&limit=1000`: refused rows by number, with the field and the reason. */
  @Get('lab-uploads/:id/errors')
  uploadErrors(
    @Param() params: unknown,
    @Query() query: unknown,
    @CurrentUser() caller: Principal,
  ): Promise<LabUploadErrorsResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const q = parseOrThrow(labUploadErrorsQuerySchema, query, 'query');
    return this.uploads.errors(caller, id.toLowerCase(), q.offset ?? 0, q.limit ?? 1000);
  }

  /** Every refused row as a CSV file (row, field, message), for the lab to fix its file. */
  @Get('lab-uploads/:id/errors.csv')
  async uploadErrorsCsv(
    @Param() params: unknown,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { id } = parseOrThrow(idParams, params, 'params');
    const csv = await this.uploads.errorsCsv(caller, id.toLowerCase());
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="lab-upload-${id.toLowerCase()}-errors.csv"`);
    res.setHeader('cache-control', 'no-store');
    return csv;
  }
}
