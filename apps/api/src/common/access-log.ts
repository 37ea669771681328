import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@frontline/logger';

/**
 * The template of the route that handled the request (`/api/v1/cases/:id`: express sets
 * `req.route`), or undefined when none did. Logs and metrics name requests by it, never by
 * the URL, which carries ids and secrets.
 */
export function routeTemplate(req: Request): string | undefined {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  return typeof route === 'string' ? route : undefined;
}

/**
 * One structured line per request: id, method, path (never the query string or body, which may
 * carry personal data), status and duration. The id is returned as `x-request-id`.
 * When a route handled the request the path is its template (`/api/v1/calendar/:file`): a
 * path may carry a secret (a calendar feed's token) that must not reach the logs.
 */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.locals.requestId = requestId;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = routeTemplate(req) ?? req.path;
      const line = { requestId, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else if (path.startsWith('/health')) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
