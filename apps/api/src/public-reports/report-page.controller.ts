import { Controller, Get, HttpCode, HttpStatus, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.guard';
import { RateLimit } from '../common/rate-limit';
import type { PageLang } from '../public-duty/duty-page';
import type { RenderedBody } from '../public-duty/public-duty.service';
import { PublicUnitsService } from './public-units.service';
import { REPORT_PAGE_PATH } from './report-page';

/** The form and the unit list change only with a geo import: phones and proxies may keep them. */
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=3600, stale-if-error=86400';

/**
 * The citizen report form (no login): `/bao-tin` (`?lang=en`), `/report` redirecting to it, and
 * the unit list it is built from as JSON. Server-rendered, tiny, cached; it posts to
 * `POST /api/v1/public/reports` (docs/decisions/0019-field-page-and-citizen-form.md).
 */
@Public()
@Controller()
export class ReportPageController {
  constructor(private readonly units: PublicUnitsService) {}

  /** `{units: [{code, name, parentCode}]}`: the province's tree, names and codes only. */
  @Get('api/v1/public/units')
  @RateLimit('public-units')
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    this.send(req, res, await this.units.json());
  }

  @Get('bao-tin')
  @RateLimit('report-page')
  async page(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const lang: PageLang = query.lang === 'en' ? 'en' : 'vi';
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Language', lang);
    this.send(req, res, await this.units.page(lang));
  }

  /** The districts' outlines as SVG, fetched by the form only when the citizen opens the map. */
  @Get('bao-tin/ban-do.svg')
  @RateLimit('report-page')
  async map(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'image/svg+xml; charset=utf-8');
    this.send(req, res, await this.units.map());
  }

  /** The English address; the query (language) is kept. */
  @Get('report')
  @HttpCode(HttpStatus.MOVED_PERMANENTLY) // what the OpenAPI document lists; the redirect sets it
  redirect(@Req() req: Request, @Res() res: Response): void {
    const qs = req.originalUrl.indexOf('?');
    res.redirect(HttpStatus.MOVED_PERMANENTLY, `${REPORT_PAGE_PATH}${qs >= 0 ? req.originalUrl.slice(qs) : ''}`);
  }

  private send(req: Request, res: Response, body: RenderedBody): void {
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', body.etag);
    if (req.headers['if-none-match'] === body.etag) {
      res.status(HttpStatus.NOT_MODIFIED).end();
      return;
    }
    if (req.acceptsEncodings('gzip')) {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(body.gzip);
    } else {
      res.send(body.raw);
    }
  }
}
