import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@frontline/metrics';
import { routeTemplate } from '../common/access-log';
import { LiveService } from '../live/live.service';

/** Requests no route of the api matched (console files, unknown paths): one series, not one per URL. */
const NO_ROUTE = '(none)';

/** The api's own series: request latency by route, and the live sockets of this instance. */
@Injectable()
export class ApiMetrics {
  private readonly requestDuration: Histogram<'method' | 'route' | 'status_class'>;

  constructor(metrics: MetricsRegistry, live: LiveService) {
    this.requestDuration = new Histogram({
      name: 'frontline_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template (e.g. /api/v1/cases/:id) and status class.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'frontline_live_sockets',
      help: 'Consoles connected to this api instance over the live socket (namespace /live).',
      registers: [metrics.registry],
      collect() {
        this.set(live.connectedSockets());
      },
    });
  }

  /**
   * Express middleware timing every request. The route label is the matched route's template
   * (express sets `req.route` when a route handles the request), never the URL: ids in paths
   * would make a series per record.
   */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const stop = this.requestDuration.startTimer();
      res.on('finish', () => {
        stop({
          method: req.method,
          route: routeTemplate(req) ?? NO_ROUTE,
          status_class: `${Math.floor(res.statusCode / 100)}xx`,
        });
      });
      next();
    };
  }
}
