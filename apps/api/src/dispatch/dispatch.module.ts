import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { EscalationScheduler, QUEUES } from '@frontline/queue';
import { AccountabilityService } from './accountability.service';
import { DispatchController } from './dispatch.controller';
import { ReportTriageService } from './report-triage.service';
import { TasksService } from './tasks.service';
import { TeamsService } from './teams.service';

/** Teams, tasks and their escalation deadlines (docs/decisions/0011-dispatch-and-escalation.md). */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.escalations })],
  controllers: [DispatchController],
  providers: [TasksService, TeamsService, EscalationScheduler, ReportTriageService, AccountabilityService],
  exports: [TasksService],
})
export class DispatchModule {}
