import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ScreeningCoverageResponse,
  ScreeningProgram,
  screeningProgramListQuerySchema,
  ScreeningProgramListResponse,
  screeningProgramRequestSchema,
  screeningQuerySchema,
  ScreeningSitesMapResponse,
  ScreeningStatusResponse,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { ScreeningService } from './screening.service';

@Controller('api/v1/screening')
export class ScreeningController {
  constructor(private readonly screening: ScreeningService) {}

  /** A program with its sites and people (commander / duty officer / admin): 201 with the ids. */
  @Post('programs')
  create(@Body() body: unknown, @CurrentUser() caller: Principal): Promise<ScreeningProgram> {
    return this.screening.createProgram(parseOrThrow(screeningProgramRequestSchema, body), caller);
  }

  /** `?unit=CODE`: the active programs of the subtree with ok / due / overdue counts (the board's filter). */
  @Get('programs')
  programs(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<ScreeningProgramListResponse> {
    const q = parseOrThrow(screeningProgramListQuerySchema, query, 'query');
    return this.screening.programs(caller, q.unit ?? caller.unitCode);
  }

  /** `?unit=CODE&programId=ID`: every site and person of the subtree, with last test, due time and status. */
  @Get('status')
  status(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<ScreeningStatusResponse> {
    const q = parseOrThrow(screeningQuerySchema, query, 'query');
    return this.screening.status(caller, q.unit ?? caller.unitCode, q.programId ?? null);
  }

  /** `?unit=CODE&programId=ID`: ok / due / overdue counts per unit, for sites and for people. */
  @Get('coverage')
  coverage(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<ScreeningCoverageResponse> {
    const q = parseOrThrow(screeningQuerySchema, query, 'query');
    return this.screening.coverage(caller, q.unit ?? caller.unitCode, q.programId ?? null);
  }

  /** `?unit=CODE&programId=ID`: the map layer, sites with their status (overdue first). */
  @Get('sites')
  sites(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<ScreeningSitesMapResponse> {
    const q = parseOrThrow(screeningQuerySchema, query, 'query');
    return this.screening.sitesForMap(caller, q.unit ?? caller.unitCode, q.programId ?? null);
  }
}
