import { Controller, Get, Post } from '@nestjs/common';
import type { z } from 'zod';
import {
  ScreeningCoverageResponse,
  ScreeningProgram,
  screeningProgramListQuerySchema,
  ScreeningProgramListResponse,
  ScreeningProgramRequest,
  screeningProgramRequestSchema,
  screeningQuerySchema,
  ScreeningSitesMapResponse,
  ScreeningStatusResponse,
} from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { ValidBody, ValidQuery } from '../common/validation';
import { ScreeningService } from './screening.service';

type ScreeningQuery = z.infer<typeof screeningQuerySchema>;

@Controller('api/v1/screening')
export class ScreeningController {
  constructor(private readonly screening: ScreeningService) {}

  /** A program with its sites and people (commander / duty officer / admin): 201 with the ids. */
  @Post('programs')
  @Policy('screening.manage')
  create(@ValidBody(screeningProgramRequestSchema) body: ScreeningProgramRequest, @CurrentUser() caller: Principal): Promise<ScreeningProgram> {
    return this.screening.createProgram(body, caller);
  }

  /** `?unit=CODE`: the active programs of the subtree with ok / due / overdue counts (the board's filter). */
  @Get('programs')
  @Policy('screening.read')
  programs(
    @ValidQuery(screeningProgramListQuerySchema) q: z.infer<typeof screeningProgramListQuerySchema>,
    @CurrentUser() caller: Principal,
  ): Promise<ScreeningProgramListResponse> {
    return this.screening.programs(caller, q.unit ?? caller.unitCode);
  }

  /** `?unit=CODE&programId=ID`: every site and person of the subtree, with last test, due time and status. */
  @Get('status')
  @Policy('screening.read')
  status(@ValidQuery(screeningQuerySchema) q: ScreeningQuery, @CurrentUser() caller: Principal): Promise<ScreeningStatusResponse> {
    return this.screening.status(caller, q.unit ?? caller.unitCode, q.programId ?? null);
  }

  /** `?unit=CODE&programId=ID`: ok / due / overdue counts per unit, for sites and for people. */
  @Get('coverage')
  @Policy('screening.read')
  coverage(@ValidQuery(screeningQuerySchema) q: ScreeningQuery, @CurrentUser() caller: Principal): Promise<ScreeningCoverageResponse> {
    return this.screening.coverage(caller, q.unit ?? caller.unitCode, q.programId ?? null);
  }

  /** `?unit=CODE&programId=ID`: the map layer, sites with their status (overdue first). */
  @Get('sites')
  @Policy('screening.read')
  sites(@ValidQuery(screeningQuerySchema) q: ScreeningQuery, @CurrentUser() caller: Principal): Promise<ScreeningSitesMapResponse> {
    return this.screening.sitesForMap(caller, q.unit ?? caller.unitCode, q.programId ?? null);
  }
}
