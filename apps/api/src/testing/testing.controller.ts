import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import {
  idParamsSchema,
  LabPoolRequest,
  labPoolRequestSchema,
  LabPoolResponse,
  labResultListQuerySchema,
  LabResultListResponse,
  LabResultRequest,
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
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { ValidBody, ValidParams, ValidQuery } from '../common/validation';
import { LabResultsService } from './lab-results.service';
import { LabUploadsService, uploadFormatOf } from './lab-uploads.service';

type RecordId = z.infer<typeof idParamsSchema>;

/** Lab staff and the command center record and follow lab results; field teams do not. */
@Controller('api/v1')
@Policy('lab.work')
export class TestingController {
  constructor(
    private readonly results: LabResultsService,
    private readonly uploads: LabUploadsService,
  ) {}

  /** One lab result: 201 `{id, eventId, seq, retests}`; 409 when the lab's sample already has one. */
  @Post('lab-results')
  record(@ValidBody(labResultRequestSchema) body: LabResultRequest, @CurrentUser() caller: Principal): Promise<LabResultResponse> {
    return this.results.record(body, caller);
  }

  /**
   * `?unit=CODE&from=DAY&to=DAY&limit=500`: the results of the unit's subtree, newest first,
   * whichever path they came in by (a lab, an upload, a case, an integration's event).
   */
  @Get('lab-results')
  list(@ValidQuery(labResultListQuerySchema) q: z.infer<typeof labResultListQuerySchema>, @CurrentUser() caller: Principal): Promise<LabResultListResponse> {
    return this.results.list(caller, q);
  }

  /** A pooled sample and its 2..50 members: 201 with the pool id to record its result against. */
  @Post('lab-pools')
  createPool(@ValidBody(labPoolRequestSchema) body: LabPoolRequest, @CurrentUser() caller: Principal): Promise<LabPoolResponse> {
    return this.results.createPool(body, caller);
  }

  /** `?unit=CODE&status=open|done|all&limit=N`: who must be retested by RT-PCR in the unit's subtree. */
  @Get('retests')
  retests(@ValidQuery(retestListQuerySchema) q: z.infer<typeof retestListQuerySchema>, @CurrentUser() caller: Principal): Promise<RetestListResponse> {
    return this.results.retests(caller, q.unit ?? caller.unitCode, q.status ?? 'open', q.limit ?? 1000);
  }

  /**
   * `?lab=CODE&unit=CODE` with the file as the body (`text/csv` or `application/json`, up to
   * 100,000 rows, read as text by its own body parser): 202 with the upload's status; 200 with
   * the earlier upload for the same file. The file's rows are checked by the upload itself.
   */
  @Post('lab-uploads')
  @HttpCode(202)
  async upload(
    @ValidQuery(labUploadQuerySchema) q: z.infer<typeof labUploadQuerySchema>,
    @Headers('content-type') contentType: string | undefined,
    @Body() file: string | undefined,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LabUploadStatusResponse> {
    const answer = await this.uploads.create(caller, q.lab, q.unit ?? caller.unitCode, uploadFormatOf(contentType), file);
    if (answer.alreadyUploaded) res.status(200);
    return answer;
  }

  /** `?limit=20`: the caller's own uploads, newest first, with their state. */
  @Get('lab-uploads')
  myUploads(@ValidQuery(labUploadListQuerySchema) q: z.infer<typeof labUploadListQuerySchema>, @CurrentUser() caller: Principal): Promise<LabUploadListResponse> {
    return this.uploads.mine(caller, q.limit ?? 20);
  }

  @Get('lab-uploads/:id')
  uploadStatus(@ValidParams(idParamsSchema) { id }: RecordId, @CurrentUser() caller: Principal): Promise<LabUploadStatusResponse> {
    return this.uploads.status(caller, id);
  }

  /** `?offset=0&limit=1000`: refused rows by number, with the field and the reason. */
  @Get('lab-uploads/:id/errors')
  uploadErrors(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @ValidQuery(labUploadErrorsQuerySchema) q: z.infer<typeof labUploadErrorsQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<LabUploadErrorsResponse> {
    return this.uploads.errors(caller, id, q.offset ?? 0, q.limit ?? 1000);
  }

  /** Every refused row as a CSV file (row, field, message), for the lab to fix its file. */
  @Get('lab-uploads/:id/errors.csv')
  async uploadErrorsCsv(
    @ValidParams(idParamsSchema) { id }: RecordId,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await this.uploads.errorsCsv(caller, id);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="lab-upload-${id}-errors.csv"`);
    res.setHeader('cache-control', 'no-store');
    return csv;
  }
}
