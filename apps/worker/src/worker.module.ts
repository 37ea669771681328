import { Module } from '@nestjs/common';
import { ConfigModule } from '@frontline/config';
import { QueueModule } from '@frontline/queue';
import { SpineModule } from '@frontline/spine';
import { HealthServer } from './health/health.server';
import { ProjectorService } from './projector/projector.service';
import { RelayService } from './relay/relay.service';
import { RosterCheckService } from './roster/roster-check.service';

@Module({
  imports: [ConfigModule, SpineModule, QueueModule],
  providers: [ProjectorService, RelayService, RosterCheckService, HealthServer],
})
export class WorkerModule {}
