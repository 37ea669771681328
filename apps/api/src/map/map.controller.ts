import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { unitCodeSchema } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { sendJsonText } from '../common/compressed-json';
import { unitInJurisdiction } from '../common/jurisdiction';
import { parseOrThrow } from '../common/validation';
import { MapPointsService } from './map-points.service';

const pointsQuery = z.strictObject({ unit: unitCodeSchema.optional() });

@Controller('api/v1/map')
export class MapController {
  constructor(
    private readonly points: MapPointsService,
    private readonly units: UnitDirectory,
  ) {}

  /** `?unit=CODE` (default: the caller's unit): MapPointsResponse, gzipped when accepted. */
  @Get('points')
  async get(
    @Query() query: unknown,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { unit } = parseOrThrow(pointsQuery, query, 'query');
    const node = await unitInJurisdiction(this.units, unit ?? caller.unitCode, caller);
    await sendJsonText(req, res, await this.points.pointsJson(node));
  }
}
