import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { text } from 'express';
import { loadConfigOrExit } from '@frontline/config';
import { createLogger, PinoNestLogger } from '@frontline/logger';
import { ApiModule } from './api.module';
import { accessLog } from './common/access-log';
import { serveConsole } from './console-static';

/** Large enough for 1,000 events with full payloads; anything bigger is refused with 413. */
const BODY_LIMIT = '4mb';
/** A lab file of 100,000 rows (docs/decisions/0013-lab-testing.md): read as text on its route only. */
const LAB_UPLOAD_LIMIT = '64mb';

async function bootstrap(): Promise<void> {
  process.env.FRONTLINE_SERVICE = 'api';
  const config = loadConfigOrExit();
  const logger = createLogger('api', config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  app.use(accessLog(logger));
  app.use('/api/v1/lab-uploads', text({ type: ['text/csv', 'application/json'], limit: LAB_UPLOAD_LIMIT }));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', true);
  serveConsole(app, config.CONSOLE_DIST, logger);
  app.enableShutdownHooks();
  await app.listen(config.PORT);
  logger.info({ port: config.PORT }, 'api listening');
}

void bootstrap();
