import { Module } from '@nestjs/common';
import { RosterModule } from '../roster/roster.module';
import { CalendarController } from './calendar.controller';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';

/** iCal feeds of duty shifts at revocable secret URLs (docs/decisions/0014-roster-feeds-and-schedules.md). */
@Module({
  imports: [RosterModule],
  controllers: [CalendarController],
  providers: [CalendarService, CalendarRepository],
})
export class CalendarModule {}
