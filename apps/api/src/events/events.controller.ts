import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { IngestResponse } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { IngestService } from './ingest.service';

@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly ingest: IngestService) {}

  /** 202: the events are committed; projections and live pushes follow asynchronously. */
  @Post()
  @HttpCode(202)
  submit(@Body() body: unknown, @CurrentUser() caller: Principal): Promise<IngestResponse> {
    return this.ingest.ingest(body, caller);
  }
}
