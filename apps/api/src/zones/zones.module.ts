import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES } from '@frontline/queue';
import { ZonesController } from './zones.controller';
import { TasksRepository } from '../dispatch/tasks.repository';
import { TeamsRepository } from '../dispatch/teams.repository';
import { ZonesRepository } from './zones.repository';
import { ZonesService } from './zones.service';

/** Zone levels per unit and lockdown areas; the warning before a planned end is a delayed job. */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.escalations })],
  controllers: [ZonesController],
  providers: [ZonesService, ZonesRepository, TeamsRepository, TasksRepository],
})
export class ZonesModule {}
