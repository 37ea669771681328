import type { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { EventStore } from '@frontline/spine';
import { CaseEngine, caseRulesOf } from '@frontline/cases';

export const caseEngineProvider: Provider = {
  provide: CaseEngine,
  inject: [EventStore, APP_CONFIG],
  useFactory: (store: EventStore, config: AppConfig) => new CaseEngine(store, caseRulesOf(config)),
};
