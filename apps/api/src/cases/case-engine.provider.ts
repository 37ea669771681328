import type { Provider } from '@nestjs/common';
import { AuditService } from '@frontline/audit';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { EventStore } from '@frontline/spine';
import { CaseEngine, CaseIntake, caseRulesOf } from '@frontline/cases';

export const caseEngineProvider: Provider = {
  provide: CaseEngine,
  inject: [EventStore, APP_CONFIG],
  useFactory: (store: EventStore, config: AppConfig) => new CaseEngine(store, caseRulesOf(config)),
};

/** The case registry's intake of integration events (`POST /api/v1/events`). */
export const caseIntakeProvider: Provider = {
  provide: CaseIntake,
  inject: [CaseEngine, AuditService],
  useFactory: (engine: CaseEngine, audit: AuditService) => new CaseIntake(engine, audit),
};
