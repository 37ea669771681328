import { Module } from '@nestjs/common';
import { ConfigModule } from '@frontline/config';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES, QueueModule } from '@frontline/queue';
import { SpineModule } from '@frontline/spine';
import { HealthServer } from './health/health.server';
import { ProjectorService } from './projector/projector.service';
import { RelayService } from './relay/relay.service';
import { RosterCheckScheduler } from './roster/roster-check.scheduler';
import { RosterCheckService } from './roster/roster-check.service';

@Module({
  imports: [
    ConfigModule,
    SpineModule,
    QueueModule,
    BullModule.registerQueue({ name: QUEUES.schedules }),
  ],
  providers: [
    ProjectorService,
    RelayService,
    RosterCheckService,
    RosterCheckScheduler,
    HealthServer,
  ],
})
export class WorkerModule {}
