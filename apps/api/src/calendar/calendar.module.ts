import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/** iCal feeds of duty shifts at revocable secret URLs (docs/decisions/0014-roster-feeds-and-schedules.md). */
@Module({
  controllers: [CalendarController],
  providers: [CalendarService],
})
export class CalendarModule {}
