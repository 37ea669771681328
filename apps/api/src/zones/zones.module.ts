import { Module } from '@nestjs/common';
import { ZonesController } from './zones.controller';
import { TasksRepository } from '../dispatch/tasks.repository';
import { TeamsRepository } from '../dispatch/teams.repository';
import { ZonesRepository } from './zones.repository';
import { ZonesService } from './zones.service';

/** Zone levels per unit and lockdown areas; the warning before a planned end follows from their events (worker). */
@Module({
  controllers: [ZonesController],
  providers: [ZonesService, ZonesRepository, TeamsRepository, TasksRepository],
})
export class ZonesModule {}
