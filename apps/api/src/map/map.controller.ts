import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { unitQuerySchema } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { sendJsonText } from '../common/compressed-json';
import { unitInJurisdiction } from '../common/jurisdiction';
import { ValidQuery } from '../common/validation';
import { MapPointsService } from './map-points.service';

@Controller('api/v1/map')
export class MapController {
  constructor(
    private readonly points: MapPointsService,
    private readonly units: UnitDirectory,
  ) {}

  /** `?unit=CODE` (default: the caller's unit): MapPointsResponse, gzipped when accepted. */
  @Get('points')
  @Policy('units.read')
  async get(
    @ValidQuery(unitQuerySchema) { unit }: z.infer<typeof unitQuerySchema>,
    @CurrentUser() caller: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const node = await unitInJurisdiction(this.units, unit ?? caller.unitCode, caller);
    await sendJsonText(req, res, await this.points.pointsJson(node));
  }
}
