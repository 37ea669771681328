import { Controller, HttpCode, Post } from '@nestjs/common';
import { PublicReportRequest, publicReportRequestSchema } from '@frontline/contracts';
import { Public } from '../auth/auth.guard';
import { RateLimit } from '../common/rate-limit';
import { ValidBody } from '../common/validation';
import { PublicReportsService } from './public-reports.service';

/** The citizen report form's API (no login): checked before anything is stored. */
@Public()
@Controller('api/v1/public/reports')
export class PublicReportsController {
  constructor(private readonly reports: PublicReportsService) {}

  /**
   * `{category, description, phone?, place: {lat, lon}}` → 202 `{id, receivedAt}`. A body over
   * PUBLIC_REPORT_MAX_BYTES is refused with 413 by its body parser (http-edge.ts).
   */
  @Post()
  @HttpCode(202)
  @RateLimit('public-report')
  submit(@ValidBody(publicReportRequestSchema) body: PublicReportRequest): Promise<{ id: string; receivedAt: string }> {
    return this.reports.receive(body);
  }
}
