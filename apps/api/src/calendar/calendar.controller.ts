import { Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import {
  CalendarFeedRequest,
  CalendarFeedResponse,
  calendarFeedListQuerySchema,
  calendarFeedRequestSchema,
  idParamsSchema,
} from '@frontline/contracts';
import { CurrentUser, Public } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { Policy } from '../auth/roles.guard';
import { RateLimit } from '../common/rate-limit';
import { ValidBody, ValidParams, ValidQuery } from '../common/validation';
import { CalendarService } from './calendar.service';

/** Calendar feeds of duty shifts: managed with a login, read by calendar apps with the secret URL. */
@Controller('api/v1/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  /** `{kind: 'center', centerId}` or `{kind: 'person', staffId}`: 201 with the secret `url`, shown this once. */
  @Post('feeds')
  @Policy('calendar.feeds')
  create(
    @ValidBody(calendarFeedRequestSchema) body: CalendarFeedRequest,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
  ): Promise<CalendarFeedResponse> {
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return this.calendar.create(body, caller, origin);
  }

  @Get('feeds')
  @Policy('calendar.feeds')
  list(
    @ValidQuery(calendarFeedListQuerySchema) query: z.infer<typeof calendarFeedListQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<CalendarFeedResponse[]> {
    return this.calendar.list(query.centerId.toLowerCase(), caller);
  }

  /** The URL answers 410 from now on. Repeating it is harmless. */
  @Delete('feeds/:id')
  @Policy('calendar.feeds')
  revoke(
    @ValidParams(idParamsSchema) { id }: { id: string },
    @CurrentUser() caller: Principal,
  ): Promise<CalendarFeedResponse> {
    return this.calendar.revoke(id, caller);
  }

  /** `GET /api/v1/calendar/<token>.ics`, no login: text/calendar; 404 unknown token, 410 revoked. */
  @Public()
  @Get(':file')
  @RateLimit('calendar-feed')
  async feed(@Param('file') file: string, @Res() res: Response): Promise<void> {
    if (!file.endsWith('.ics')) throw new NotFoundException('no such calendar');
    const { body } = await this.calendar.render(file.slice(0, -4));
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', 'inline; filename="lich-truc.ics"');
    // The URL is a secret: no shared cache keeps it.
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.send(body);
  }
}
