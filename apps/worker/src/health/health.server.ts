import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { MetricsRegistry, mayScrape } from '@frontline/metrics';
import { checkReadiness, LOGGER, type Redis, REDIS, STREAM_KEYS, StreamKeys } from '@frontline/spine';
import type { Logger } from '@frontline/logger';

/** The worker's only HTTP, on WORKER_HEALTH_PORT: /health/live, /health/ready and Prometheus's /metrics. */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => send(res, 503, { status: 'unavailable' }));
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.url === '/health/live') return send(res, 200, { status: 'ok' });
    if (req.url === '/health/ready') {
      const readiness = await checkReadiness(this.dataSource, this.redis, this.keys);
      return send(res, readiness.status === 'ok' ? 200 : 503, readiness);
    }
    if (req.url === '/metrics') {
      if (!mayScrape(req.headers.authorization, this.config.METRICS_TOKEN)) {
        return send(res, 401, { statusCode: 401, error: 'Unauthorized', message: 'metrics need the configured bearer token' });
      }
      const { contentType, body } = await this.metrics.scrape();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return;
    }
    send(res, 404, { statusCode: 404, error: 'Not Found', message: 'only /health/live, /health/ready and /metrics' });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
