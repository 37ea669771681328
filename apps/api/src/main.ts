import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfigOrExit } from '@frontline/config';
import { createLogger, PinoNestLogger } from '@frontline/logger';
import { ApiModule } from './api.module';
import { configureApiApp } from './api-app';

async function bootstrap(): Promise<void> {
  process.env.FRONTLINE_SERVICE = 'api';
  const config = loadConfigOrExit();
  const logger = createLogger('api', config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  configureApiApp(app, config, logger);
  app.enableShutdownHooks();
  await app.listen(config.PORT);
  logger.info({ port: config.PORT }, 'api listening');
}

void bootstrap();
