import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

/** `GET /metrics` and the api's own series (the registry and the shared ones come from @frontline/metrics). */
@Module({ imports: [LiveModule], controllers: [MetricsController], providers: [ApiMetrics], exports: [ApiMetrics] })
export class ApiMetricsModule {}
