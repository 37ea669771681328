import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { ConfigModule } from '@frontline/config';
import { QUEUES, QueueModule } from '@frontline/queue';
import { SpineModule } from '@frontline/spine';
import { CaseRulesService } from './case-rules/case-rules.service';
import { ReleaseCheckProcessor } from './case-rules/release-check.processor';
import { HealthServer } from './health/health.server';
import { ProjectorService } from './projector/projector.service';
import { RelayService } from './relay/relay.service';
import { RosterCheckService } from './roster/roster-check.service';

@Module({
  imports: [ConfigModule, SpineModule, QueueModule, BullModule.registerQueue({ name: QUEUES.schedules })],
  providers: [
    ProjectorService,
    RelayService,
    RosterCheckService,
    CaseRulesService,
    ReleaseCheckProcessor,
    HealthServer,
  ],
})
export class WorkerModule {}
