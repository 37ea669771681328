import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { RosterController } from './roster.controller';
import { RosterRepository } from './roster.repository';
import { RosterService } from './roster.service';

/** Duty rosters: `RosterService.onDuty(unitCode, at)` is the one on-duty answer other modules call. */
@Module({
  imports: [AuditModule],
  controllers: [RosterController],
  providers: [RosterRepository, RosterService],
  exports: [RosterService],
})
export class RosterModule {}
