import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { CasesModule } from '../cases/cases.module';
import { EventDetailService } from './event-detail.service';
import { EventsController } from './events.controller';
import { IngestService } from './ingest.service';

@Module({ imports: [AuditModule, CasesModule], controllers: [EventsController], providers: [IngestService, EventDetailService] })
export class EventsModule {}
