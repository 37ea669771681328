import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { ConfigModule } from '@frontline/config';
import { QUEUES, QueueModule } from '@frontline/queue';
import { SpineModule } from '@frontline/spine';
import { EscalationProcessor } from './escalation/escalation.processor';
import { EscalationService } from './escalation/escalation.service';
import { LockdownEndingService } from './escalation/lockdown-ending.service';
import { HealthServer } from './health/health.server';
import { ProjectorService } from './projector/projector.service';
import { RelayService } from './relay/relay.service';
import { RosterCheckService } from './roster/roster-check.service';

@Module({
  imports: [ConfigModule, SpineModule, QueueModule, BullModule.registerQueue({ name: QUEUES.escalations })],
  providers: [
    ProjectorService,
    RelayService,
    RosterCheckService,
    EscalationService,
    LockdownEndingService,
    EscalationProcessor,
    HealthServer,
  ],
})
export class WorkerModule {}
