import { Module } from '@nestjs/common';
import { ScreeningController } from './screening.controller';
import { ScreeningRepository } from './screening.repository';
import { ScreeningService } from './screening.service';

/** Screening programs: sites and people tested at a cadence, due / overdue and coverage. */
@Module({ controllers: [ScreeningController], providers: [ScreeningService, ScreeningRepository] })
export class ScreeningModule {}
