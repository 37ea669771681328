import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigModule } from '@frontline/config';
import { EscalationScheduler, QUEUES, QueueModule } from '@frontline/queue';
import { MetricsModule } from '@frontline/metrics';
import { SpineModule, StreamConsumersModule } from '@frontline/spine';
import { CaseRulesConsumer } from './case-rules/case-rules.consumer';
import { ReleaseCheckProcessor } from './case-rules/release-check.processor';
import { TracingTaskRule } from './case-rules/tracing-task';
import { TracingTasksRepository } from './case-rules/tracing-tasks.repository';
import { EscalationProcessor } from './escalation/escalation.processor';
import { EscalationRepository } from './escalation/escalation.repository';
import { EscalationService } from './escalation/escalation.service';
import { EscalationSweepProcessor } from './escalation/escalation-sweep.processor';
import { EscalationSweepService } from './escalation/escalation-sweep.service';
import { FollowUpJobsConsumer } from './escalation/follow-up-jobs.consumer';
import { LockdownEndingService } from './escalation/lockdown-ending.service';
import { LockdownsRepository } from './escalation/lockdowns.repository';
import { HealthServer } from './health/health.server';
import { LabUploadProcessor } from './lab-uploads/lab-upload.processor';
import { JobFailuresListener } from './metrics/job-failures.listener';
import { ProjectionCursorsRepository } from './projector/projection-cursors.repository';
import { ProjectorConsumer } from './projector/projector.consumer';
import { RelayService } from './relay/relay.service';
import { RosterCheckScheduler } from './roster/roster-check.scheduler';
import { RosterCheckService } from './roster/roster-check.service';
import { ScreeningCheckProcessor } from './screening/screening-check.processor';

@Module({
  imports: [
    ConfigModule,
    SpineModule,
    MetricsModule,
    DiscoveryModule,
    StreamConsumersModule,
    QueueModule,
    BullModule.registerQueue(
      { name: QUEUES.labUploads },
      { name: QUEUES.escalations },
      { name: QUEUES.rosterChecks },
      { name: QUEUES.screeningChecks },
      { name: QUEUES.caseReleaseChecks },
      { name: QUEUES.escalationSweeps },
    ),
  ],
  providers: [
    ProjectionCursorsRepository,
    ProjectorConsumer,
    RelayService,
    RosterCheckService,
    LabUploadProcessor,
    EscalationRepository,
    EscalationService,
    LockdownsRepository,
    LockdownEndingService,
    EscalationProcessor,
    EscalationSweepService,
    EscalationSweepProcessor,
    RosterCheckScheduler,
    ScreeningCheckProcessor,
    EscalationScheduler,
    FollowUpJobsConsumer,
    TracingTasksRepository,
    TracingTaskRule,
    CaseRulesConsumer,
    ReleaseCheckProcessor,
    HealthServer,
    JobFailuresListener,
  ],
})
export class WorkerModule {}
