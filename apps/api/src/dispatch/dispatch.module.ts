import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { EscalationScheduler, QUEUES } from '@frontline/queue';
import { ZonesRepository } from '../zones/zones.repository';
import { AccountabilityRepository } from './accountability.repository';
import { AccountabilityService } from './accountability.service';
import { DispatchController } from './dispatch.controller';
import { ReportTriageRepository } from './report-triage.repository';
import { ReportTriageService } from './report-triage.service';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';
import { TeamsRepository } from './teams.repository';
import { TeamsService } from './teams.service';

/** Teams, tasks and their escalation deadlines (docs/decisions/0011-dispatch-and-escalation.md). */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.escalations })],
  controllers: [DispatchController],
  providers: [
    TasksService,
    TeamsService,
    EscalationScheduler,
    ReportTriageService,
    AccountabilityService,
    TasksRepository,
    TeamsRepository,
    ReportTriageRepository,
    AccountabilityRepository,
    ZonesRepository,
  ],
  exports: [TasksService],
})
export class DispatchModule {}
