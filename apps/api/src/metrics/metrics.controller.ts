import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@frontline/config';
import { MetricsRegistry, mayScrape } from '@frontline/metrics';
import { Public } from '../auth/auth.guard';

/**
 * Prometheus scrape endpoint, outside `/api/v1`. Not a user's route, so it has no policy: it is
 * @Public() for the users' token guard and protected instead by METRICS_TOKEN when one is
 * configured (docs/decisions/0032-prometheus-metrics.md). Its series carry counts, types, route
 * templates and queue names, never a person or a record id.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!mayScrape(authorization, this.config.METRICS_TOKEN)) throw new UnauthorizedException('metrics need the configured bearer token');
    const { contentType, body } = await this.metrics.scrape();
    // Written as is: express's send() would reorder the content type's parameters.
    res.setHeader('content-type', contentType);
    res.end(body);
  }
}
