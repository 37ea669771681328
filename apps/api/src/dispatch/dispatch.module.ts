import { Module } from '@nestjs/common';
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

/**
 * Teams, tasks and their escalation deadlines (docs/decisions/0011-dispatch-and-escalation.md);
 * the escalation jobs follow from the task events in the worker.
 */
@Module({
  controllers: [DispatchController],
  providers: [
    TasksService,
    TeamsService,
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
