import { InitialSchema1732300000000 } from './1732300000000-initial-schema';
import { OperationsConsole1732400000000 } from './1732400000000-operations-console';
import { DutyRosters1732600000000 } from './1732600000000-duty-rosters';
import { RosterOperations1732700000000 } from './1732700000000-roster-operations';
import { Cases1732800000000 } from './1732800000000-cases';
import { LabTesting1732850000000 } from './1732850000000-lab-testing';
import { Dispatch1732900000000 } from './1732900000000-dispatch';
import { RosterFeeds1732950000000 } from './1732950000000-roster-feeds';
import { CaseTracingTasks1733000000000 } from './1733000000000-case-tracing-tasks';
import { LabForeignKeys1733100000000 } from './1733100000000-lab-foreign-keys';
import { DispatchBoard1733200000000 } from './1733200000000-dispatch-board';
import { MapEndedContacts1733400000000 } from './1733400000000-map-ended-contacts';
import { CaseReferences1733500000000 } from './1733500000000-case-references';
import { OpenReportsClosed1733510000000 } from './1733510000000-open-reports-closed';
import { EventOutbox1733600000000 } from './1733600000000-event-outbox';
import { AccountTokenVersion1733700000000 } from './1733700000000-account-token-version';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [
  InitialSchema1732300000000,
  OperationsConsole1732400000000,
  DutyRosters1732600000000,
  RosterOperations1732700000000,
  Cases1732800000000,
  LabTesting1732850000000,
  Dispatch1732900000000,
  RosterFeeds1732950000000,
  CaseTracingTasks1733000000000,
  LabForeignKeys1733100000000,
  DispatchBoard1733200000000,
  MapEndedContacts1733400000000,
  CaseReferences1733500000000,
  OpenReportsClosed1733510000000,
  EventOutbox1733600000000,
  AccountTokenVersion1733700000000,
];
