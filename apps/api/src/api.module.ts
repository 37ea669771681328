import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@frontline/config';
import { QueueModule } from '@frontline/queue';
import { SpineModule } from '@frontline/spine';
import { MetricsModule } from '@frontline/metrics';
import { ApiDocsModule } from './api-docs/api-docs.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { RateLimitGuard, RateLimits } from './common/rate-limit';
import { ConsoleConfigModule } from './console-config/console-config.module';
import { DispatchModule } from './dispatch/dispatch.module';
import { EventsModule } from './events/events.module';
import { FiguresModule } from './figures/figures.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { MapModule } from './map/map.module';
import { ApiMetricsModule } from './metrics/metrics.module';
import { ReportsModule } from './reports/reports.module';
import { RosterModule } from './roster/roster.module';
import { CalendarModule } from './calendar/calendar.module';
import { PublicDutyModule } from './public-duty/public-duty.module';
import { PublicReportsModule } from './public-reports/public-reports.module';
import { SnapshotModule } from './snapshot/snapshot.module';
import { ScreeningModule } from './screening/screening.module';
import { TestingModule } from './testing/testing.module';
import { TracingModule } from './tracing/tracing.module';
import { UnitsModule } from './units/units.module';
import { ZonesModule } from './zones/zones.module';

@Module({
  imports: [
    ConfigModule,
    SpineModule,
    MetricsModule,
    QueueModule,
    AuthModule,
    UnitsModule,
    FiguresModule,
    MapModule,
    EventsModule,
    ReportsModule,
    RosterModule,
    TestingModule,
    ScreeningModule,
    CasesModule,
    TracingModule,
    AuditLogModule,
    PublicDutyModule,
    DispatchModule,
    CalendarModule,
    PublicReportsModule,
    ZonesModule,
    SnapshotModule,
    LiveModule,
    ConsoleConfigModule,
    HealthModule,
    ApiMetricsModule,
    ApiDocsModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    RateLimits,
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class ApiModule {}
