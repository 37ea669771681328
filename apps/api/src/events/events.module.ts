import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { CasesModule } from '../cases/cases.module';
import { EventDetailRepository } from './event-detail.repository';
import { EventDetailService } from './event-detail.service';
import { EventsController } from './events.controller';
import { IngestService } from './ingest.service';

@Module({ imports: [AuditModule, CasesModule], controllers: [EventsController], providers: [IngestService, EventDetailRepository, EventDetailService] })
export class EventsModule {}
