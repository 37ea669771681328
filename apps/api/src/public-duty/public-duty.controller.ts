import { Controller, Get, HttpCode, HttpStatus, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { publicDutyQuerySchema } from '@frontline/contracts';
import { Public } from '../auth/auth.guard';
import { RateLimit } from '../common/rate-limit';
import { ValidQuery } from '../common/validation';
import { PageLang, parsePageInstant, renderDutyPage } from './duty-page';
import { PublicDutyService, RenderedBody } from './public-duty.service';

/**
 * Short enough that a shift change shows within a minute, long enough that a phone on slow 3G
 * (or a proxy in front) re-uses what it has while it revalidates.
 */
const CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=60, stale-if-error=600';

/** The public duty list (no login): JSON for apps, and the page citizens open. */
@Public()
@Controller()
export class PublicDutyController {
  constructor(private readonly duty: PublicDutyService) {}

  /**
   * `?q=TEXT&at=ISO`: `{updatedAt, centers: [{unit, name, hotline, address, onDuty: [{position,
   * name, phone}], nextShiftAt}]}` (and `at` when asked for). Serialized and gzipped once per
   * cached board and search text.
   */
  @Get('api/v1/public/duty')
  @RateLimit('public-duty')
  async json(
    @ValidQuery(publicDutyQuerySchema) { q, at }: z.infer<typeof publicDutyQuerySchema>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { board, centers } = await this.duty.search(q, at ? new Date(at) : undefined);
    const body = await this.duty.renderOnce(board, `json\u0000${q ?? ''}`, () =>
      JSON.stringify(PublicDutyService.toResponse(board, centers)),
    );
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    this.send(req, res, body);
  }

  /**
   * The page: `/duty?q=mong cai&lang=en&at=2021-09-02T08:00`. `at` (local time from the page's
   * picker, or an ISO instant) shows who was on duty then. Unknown parameters (tracking tags of
   * shared links) and an unreadable `at` are ignored.
   */
  @Get('duty')
  @RateLimit('duty-page')
  async page(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const q = typeof query.q === 'string' ? query.q.slice(0, 100) : '';
    const lang: PageLang = query.lang === 'en' ? 'en' : 'vi';
    const at = parsePageInstant(query.at);
    const { board, centers } = await this.duty.search(q, at ?? undefined);
    const body = await this.duty.renderOnce(board, `page\u0000${lang}\u0000${q}`, () =>
      renderDutyPage(board, centers, q, lang),
    );
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Language', lang);
    res.setHeader('Last-Modified', board.updatedAt.toUTCString());
    this.send(req, res, body);
  }

  private send(req: Request, res: Response, body: RenderedBody): void {
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.setHeader('Vary', 'Accept-Encoding');
    // Computed once per body (Express would hash every response); a match answers 304.
    res.setHeader('ETag', body.etag);
    if (req.acceptsEncodings('gzip')) {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(body.gzip);
    } else {
      res.send(body.raw);
    }
  }

  /** The Vietnamese address people are told on the radio. */
  @Get('truc-ban')
  @HttpCode(HttpStatus.MOVED_PERMANENTLY) // what the OpenAPI document lists; the redirect sets it
  redirect(@Req() req: Request, @Res() res: Response): void {
    const qs = req.originalUrl.indexOf('?');
    res.redirect(HttpStatus.MOVED_PERMANENTLY, `/duty${qs >= 0 ? req.originalUrl.slice(qs) : ''}`);
  }
}
