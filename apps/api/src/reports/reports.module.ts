import { Module } from '@nestjs/common';
import { AcknowledgeService } from './acknowledge.service';
import { ReportsController } from './reports.controller';

@Module({ controllers: [ReportsController], providers: [AcknowledgeService] })
export class ReportsModule {}
