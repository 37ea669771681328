import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@frontline/config';
import { SpineModule } from '@frontline/spine';
import { AuthModule } from './auth/auth.module';
import { HttpErrorFilter } from './common/http-error.filter';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { SnapshotModule } from './snapshot/snapshot.module';
import { UnitsModule } from './units/units.module';

@Module({
  imports: [ConfigModule, SpineModule, AuthModule, UnitsModule, EventsModule, SnapshotModule, LiveModule, HealthModule],
  providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
})
export class ApiModule {}
