import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import type { EventDetailResponse, IngestResponse } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { clientInfo } from '../common/client-info';
import { parseOrThrow } from '../common/validation';
import { EventDetailService } from './event-detail.service';
import { IngestService } from './ingest.service';

const idParams = z.strictObject({ id: z.uuid() });

@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly details: EventDetailService,
  ) {}

  /** 202: the events are committed; projections and live pushes follow asynchronously. */
  @Post()
  @HttpCode(202)
  submit(@Body() body: unknown, @CurrentUser() caller: Principal): Promise<IngestResponse> {
    return this.ingest.ingest(body, caller);
  }

  /** One event with its acknowledgement and, for roles allowed to read them (audited), its personal fields. */
  @Get(':id')
  detail(@Param() params: unknown, @CurrentUser() caller: Principal, @Req() req: Request): Promise<EventDetailResponse> {
    const { id } = parseOrThrow(idParams, params, 'params');
    return this.details.detail(id.toLowerCase(), caller, clientInfo(req));
  }
}
