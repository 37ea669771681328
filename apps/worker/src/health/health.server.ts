import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { checkReadiness, LOGGER, type Redis, REDIS, STREAM_KEYS, StreamKeys } from '@frontline/spine';
import type { Logger } from '@frontline/logger';

/** The worker's only HTTP: /health/live and /health/ready on WORKER_HEALTH_PORT. */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = createServer((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/health/live') return send(200, { status: 'ok' });
      if (req.url === '/health/ready') {
        checkReadiness(this.dataSource, this.redis, this.keys)
          .then((r) => send(r.status === 'ok' ? 200 : 503, r))
          .catch(() => send(503, { status: 'unavailable' }));
        return;
      }
      send(404, { statusCode: 404, error: 'Not Found', message: 'only /health/live and /health/ready' });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.WORKER_HEALTH_PORT, () => resolve());
    });
    this.logger.info({ port: this.config.WORKER_HEALTH_PORT }, 'worker health listening');
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }
}
