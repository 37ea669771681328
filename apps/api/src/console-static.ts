import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@frontline/logger';

// The public pages (duty list, citizen report form, and their other addresses) are served by the api, not the console;
// so is /metrics (a scraper's Accept header admits HTML).
const NOT_CONSOLE = /^\/(api|health|metrics|socket\.io|duty|truc-ban|bao-tin|report)(\/|$)/;
/** Vite names every file under /assets/ by its content: a new build is a new name. */
const HASHED_ASSET = /^\/assets\/[\w.-]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The copies the build writes beside each asset (apps/console/precompress.ts), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * Serves the built console (apps/console/dist) as a CDN would: hashed assets cached for a year
 * (`immutable`) in the encoding the browser accepts (the build's brotli or gzip copy), and
 * index.html, the one file whose name stays, revalidated on every load; the console's routes
 * fall back to index.html.
 */
export function serveConsole(app: NestExpressApplication, dist: string, logger: Logger): void {
  const root = resolve(dist);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ root }, 'console build not found; run `npm run build:console`');
    return;
  }
  app.use('/assets', (req: Request, res: Response, next: NextFunction) =>
    sendAsset(root, req, res, next),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || NOT_CONSOLE.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function sendAsset(root: string, req: Request, res: Response, next: NextFunction): void {
  const path = `/assets${req.path}`;
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !HASHED_ASSET.test(path)) return next();
  const file = join(root, path);
  // An asset of another build (a page loaded before a deploy): not index.html in its place.
  if (!existsSync(file)) {
    res.sendStatus(404);
    return;
  }
  res.setHeader('Cache-Control', IMMUTABLE);
  res.setHeader('Vary', 'Accept-Encoding');
  // Ours, not the browser's order (Chromium lists gzip before br): the smallest it accepts.
  const encoding = ENCODINGS.find(
    (e) => req.acceptsEncodings(e.name) === e.name && existsSync(file + e.suffix),
  );
  // The type of the file itself, not of its compressed copy.
  res.type(extname(file));
  if (encoding) res.setHeader('Content-Encoding', encoding.name);
  res.sendFile(
    encoding ? file + encoding.suffix : file,
    { maxAge: 0, cacheControl: false },
    (err) => {
      if (err) next(err);
    },
  );
}
