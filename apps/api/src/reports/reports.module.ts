import { Module } from '@nestjs/common';
import { AcknowledgeService } from './acknowledge.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';

@Module({ controllers: [ReportsController], providers: [AcknowledgeService, ReportsRepository] })
export class ReportsModule {}
