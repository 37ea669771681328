import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@frontline/logger';

// The public pages (duty list, citizen report form, and their other addresses) are served by the api, not the console;
// so is /metrics (a scraper's Accept header admits HTML).
const NOT_CONSOLE = /^\/(api|health|metrics|socket\.io|duty|truc-ban|bao-tin|report)(\/|$)/;

/** Serves the built console (apps/console/dist) and falls back to index.html for its routes. */
export function serveConsole(app: NestExpressApplication, dist: string, logger: Logger): void {
  const root = resolve(dist);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ root }, 'console build not found; run `npm run build:console`');
    return;
  }
  app.useStaticAssets(root, { index: false, maxAge: '1h', immutable: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || NOT_CONSOLE.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
