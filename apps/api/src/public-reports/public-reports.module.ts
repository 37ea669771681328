import { Module } from '@nestjs/common';
import { UnitsRepository } from '../units/units.repository';
import { PublicReportsController } from './public-reports.controller';
import { PublicReportsService } from './public-reports.service';
import { PublicUnitsService } from './public-units.service';
import { ReportPageController } from './report-page.controller';

/**
 * `POST /api/v1/public/reports`: citizens report illegal entry, suspected cases, violations,
 * gatherings; the form that sends them (`/bao-tin`) and the public unit list it picks from.
 */
@Module({ controllers: [PublicReportsController, ReportPageController], providers: [PublicReportsService, PublicUnitsService, UnitsRepository] })
export class PublicReportsModule {}
