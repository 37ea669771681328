import { Writable } from 'node:stream';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig, parseConfig } from '@frontline/config';
import { createLogger, Logger, PinoNestLogger } from '@frontline/logger';
import { LOGGER } from '@frontline/spine';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApiApp } from '../../apps/api/src/api-app';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import type { StackProcess } from './processes';
import { waitFor } from './wait';

const STOP_TIMEOUT_MS = 15_000;

/** Keeps the last lines an in-process app logged, as a spawned process's output is kept. */
class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text = (this.text + chunk.toString()).slice(-200_000);
    done();
  }
}

/**
 * An api or worker run as a Nest application inside the test's own process: the same modules
 * as the built entry points, with the configuration parsed from the stack's environment map
 * (never from `process.env`, which every test file of a Jest worker shares) and the logger
 * writing to `output`.
 */
abstract class InProcessApp implements StackProcess {
  private readonly log = new LogCapture();
  private app?: INestApplicationContext;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly healthUrl: string,
  ) {}

  get output(): string {
    return this.log.text;
  }

  /** The running Nest application (tests that read its router). */
  get application(): INestApplicationContext | undefined {
    return this.app;
  }

  async start(): Promise<void> {
    const config = parseConfig(this.env);
    const logger = createLogger(this.name, config.LOG_LEVEL, this.log);
    this.app = await this.create(config, logger);
    const healthUrl = this.healthUrl;
    await waitFor(`${this.name} to be ready (${healthUrl})\n${this.output}`, async () => {
      const res = await fetch(healthUrl).catch(() => null);
      return res?.status === 200;
    }, 30_000, 50);
  }

  /** Runs the shutdown hooks (consumers, queues, tails and connections stop), as SIGTERM does. */
  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    if (!app) return;
    // Nothing can SIGKILL an app in this process: a shutdown that hangs fails here, saying so.
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not shut down within ${STOP_TIMEOUT_MS} ms\n${this.output}`)), STOP_TIMEOUT_MS);
    });
    try {
      await Promise.race([app.close(), hung]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill9(): Promise<void> {
    throw new Error(`${this.name} runs in the test's process: kill -9 needs new TestStack({ processes: true })`);
  }

  protected abstract create(config: AppConfig, logger: Logger): Promise<INestApplicationContext>;

  protected compile(root: Type<unknown>, config: AppConfig, logger: Logger) {
    return Test.createTestingModule({ imports: [root] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(LOGGER)
      .useValue(logger)
      .setLogger(new PinoNestLogger(logger))
      .compile();
  }
}

export class InProcessApi extends InProcessApp {
  protected async create(config: AppConfig, logger: Logger) {
    const moduleRef = await this.compile(ApiModule, config, logger);
    // Stopping an api in a test stands for the process going away: a browser's open keep-alive or
    // polling connection must not hold the HTTP server open (it did, under load, in console-map).
    const app = moduleRef.createNestApplication<NestExpressApplication>({
      bodyParser: false,
      logger: new PinoNestLogger(logger),
      forceCloseConnections: true,
    });
    configureApiApp(app, config, logger);
    await app.listen(config.PORT, '127.0.0.1');
    return app;
  }
}

export class InProcessWorker extends InProcessApp {
  protected async create(config: AppConfig, logger: Logger) {
    const moduleRef = await this.compile(WorkerModule, config, logger);
    return moduleRef.init();
  }
}
