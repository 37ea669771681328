import { Module } from '@nestjs/common';
import { PublicReportsController } from './public-reports.controller';
import { PublicReportsService } from './public-reports.service';

/** `POST /api/v1/public/reports`: citizens report illegal entry, suspected cases, violations, gatherings. */
@Module({ controllers: [PublicReportsController], providers: [PublicReportsService] })
export class PublicReportsModule {}
