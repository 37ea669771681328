import { Controller, HttpCode, HttpException, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PublicReportRequest, publicReportRequestSchema } from '@frontline/contracts';
import { Public } from '../auth/auth.guard';
import { clientInfo } from '../common/client-info';
import { ValidBody } from '../common/validation';
import { TokenBucketLimiter } from '../public-duty/rate-limiter';
import { PublicReportsService } from './public-reports.service';

/** Per client (IP, or X-Forwarded-For behind a trusted proxy): 5 reports at once, then one every 20 s. */
export const REPORT_RATE_CAPACITY = 5;
export const REPORT_RATE_PER_SECOND = 1 / 20;

/** The citizen report form's API (no login): checked before anything is stored. */
@Public()
@Controller('api/v1/public/reports')
export class PublicReportsController {
  private readonly limiter = new TokenBucketLimiter(REPORT_RATE_CAPACITY, REPORT_RATE_PER_SECOND);

  constructor(private readonly reports: PublicReportsService) {}

  /**
   * `{category, description, phone?, place: {lat, lon}}` → 202 `{id, receivedAt}`. A body over
   * PUBLIC_REPORT_MAX_BYTES is refused with 413 by its body parser (http-edge.ts).
   */
  @Post()
  @HttpCode(202)
  async submit(@ValidBody(publicReportRequestSchema) body: PublicReportRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ id: string; receivedAt: string }> {
    const wait = this.limiter.take(clientInfo(req).clientIp ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new HttpException('too many reports from this connection: try again in a minute, or call the hotline', HttpStatus.TOO_MANY_REQUESTS);
    }
    return this.reports.receive(body);
  }
}
