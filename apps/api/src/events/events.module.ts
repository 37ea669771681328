import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { EventDetailService } from './event-detail.service';
import { EventsController } from './events.controller';
import { IngestService } from './ingest.service';

@Module({ imports: [AuditModule], controllers: [EventsController], providers: [IngestService, EventDetailService] })
export class EventsModule {}
