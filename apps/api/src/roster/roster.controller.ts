import { Controller, Get, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  CoverageGapsResponse,
  coverageGapsQuerySchema,
  OnDutyResponse,
  onDutyQuerySchema,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { clientInfo } from '../common/client-info';
import { parseOrThrow } from '../common/validation';
import { RosterService } from './roster.service';

@Controller('api/v1/roster')
export class RosterController {
  constructor(private readonly roster: RosterService) {}

  /** `?unit=CODE&at=ISO` (defaults: the caller's home unit, now): who is on duty at each center of the unit. */
  @Get('on-duty')
  onDuty(
    @Query() query: unknown,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
  ): Promise<OnDutyResponse> {
    const { unit, at } = parseOrThrow(onDutyQuerySchema, query, 'query');
    return this.roster.onDutyFor(
      caller,
      unit ?? caller.unitCode,
      at ? new Date(at) : new Date(),
      clientInfo(req),
    );
  }

  /** `?unit=CODE&days=14` (1..60, default 14): understaffed stretches from now, the unit's whole subtree. */
  @Get('gaps')
  gaps(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<CoverageGapsResponse> {
    const { unit, days } = parseOrThrow(coverageGapsQuerySchema, query, 'query');
    return this.roster.gapsFor(caller, unit ?? caller.unitCode, new Date(), days ?? 14);
  }
}
