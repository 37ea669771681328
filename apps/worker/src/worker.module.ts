import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { ConfigModule } from '@frontline/config';
import { QUEUES, QueueModule } from '@frontline/queue';
import { SpineModule } from '@frontline/spine';
import { HealthServer } from './health/health.server';
import { LabUploadProcessor } from './lab-uploads/lab-upload.processor';
import { ProjectorService } from './projector/projector.service';
import { RelayService } from './relay/relay.service';
import { RosterCheckService } from './roster/roster-check.service';
import { SchedulesProcessor } from './screening/schedules.processor';

@Module({
  imports: [
    ConfigModule,
    SpineModule,
    QueueModule,
    BullModule.registerQueue({ name: QUEUES.labUploads }, { name: QUEUES.schedules }),
  ],
  providers: [
    ProjectorService,
    RelayService,
    RosterCheckService,
    LabUploadProcessor,
    SchedulesProcessor,
    HealthServer,
  ],
})
export class WorkerModule {}
