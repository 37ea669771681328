import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { z } from 'zod';
import { EventDetailResponse, idParamsSchema, IngestResponse, ingestRequestSchema } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { clientInfo } from '../common/client-info';
import { ValidBody, ValidParams } from '../common/validation';
import { EventDetailService } from './event-detail.service';
import { IngestService } from './ingest.service';

@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly details: EventDetailService,
  ) {}

  /** 202: the events are committed; projections and live pushes follow asynchronously. */
  @Post()
  @Policy('events.submit')
  @HttpCode(202)
  submit(@ValidBody(ingestRequestSchema) { events }: z.infer<typeof ingestRequestSchema>, @CurrentUser() caller: Principal): Promise<IngestResponse> {
    return this.ingest.ingest(events, caller);
  }

  /** One event with its acknowledgement and, for roles allowed to read them (audited), its personal fields. */
  @Get(':id')
  @Policy('events.read')
  detail(@ValidParams(idParamsSchema) { id }: z.infer<typeof idParamsSchema>, @CurrentUser() caller: Principal, @Req() req: Request): Promise<EventDetailResponse> {
    return this.details.detail(id, caller, clientInfo(req));
  }
}
