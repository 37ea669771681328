import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, text } from 'express';
import type { AppConfig } from '@frontline/config';
import { PUBLIC_REPORT_MAX_BYTES } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { accessLog } from './common/access-log';
import { serveConsole } from './console-static';
import { ApiMetrics } from './metrics/api-metrics';

/** Large enough for 1,000 events with full payloads; anything bigger is refused with 413. */
const BODY_LIMIT = '4mb';
/** A lab file of 100,000 rows (docs/decisions/0013-lab-testing.md): read as text on its route only. */
const LAB_UPLOAD_LIMIT = '64mb';

/**
 * Everything the api does to its Nest application before it listens (created with
 * `bodyParser: false`): the entry point and the in-process test stack share it, so tests run
 * the same middleware as production.
 */
export function configureApiApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.use(accessLog(logger));
  app.use(app.get(ApiMetrics).middleware());
  app.use('/api/v1/lab-uploads', text({ type: ['text/csv', 'application/json'], limit: LAB_UPLOAD_LIMIT }));
  // A citizen's report is small: anything larger is refused (413) before it is read further.
  app.use('/api/v1/public/reports', json({ limit: PUBLIC_REPORT_MAX_BYTES }));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', true);
  serveConsole(app, config.CONSOLE_DIST, logger);
}
