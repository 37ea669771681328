import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@frontline/config';
import { createLogger, PinoNestLogger } from '@frontline/logger';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  process.env.FRONTLINE_SERVICE = 'worker';
  const config = loadConfigOrExit();
  const logger = createLogger('worker', config.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: new PinoNestLogger(logger) });
  app.enableShutdownHooks();
  logger.info('worker started');
}

void bootstrap();
