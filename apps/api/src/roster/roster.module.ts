import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditModule } from '@frontline/audit';
import { EventStore, UnitOfWork } from '@frontline/spine';
import { RosterChecks } from '@frontline/roster-ops';
import { HandoverRepository } from './handover.repository';
import { HandoverService } from './handover.service';
import { RosterChangesRepository } from './roster-changes.repository';
import { RosterChangesService } from './roster-changes.service';
import { RosterController } from './roster.controller';
import { RosterRepository } from './roster.repository';
import { RosterService } from './roster.service';

/** Duty rosters: `RosterService.onDuty(unitCode, at)` is the one on-duty answer other modules call. */
@Module({
  imports: [AuditModule],
  controllers: [RosterController],
  providers: [
    RosterRepository,
    RosterChangesRepository,
    HandoverRepository,
    RosterService,
    RosterChangesService,
    HandoverService,
    {
      provide: RosterChecks,
      inject: [DataSource, EventStore, UnitOfWork],
      useFactory: (ds: DataSource, store: EventStore, unitOfWork: UnitOfWork) =>
        new RosterChecks(ds, store, unitOfWork),
    },
  ],
  exports: [RosterService, RosterRepository],
})
export class RosterModule {}
