import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { TrendResponse, unitCodeSchema } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { parseOrThrow } from '../common/validation';
import { FiguresService } from './figures.service';

const trendQuery = z.strictObject({
  unit: unitCodeSchema.optional(),
  days: z.coerce.number().int().min(1).max(60).default(14),
});

@Controller('api/v1/trend')
export class TrendController {
  constructor(
    private readonly figures: FiguresService,
    private readonly units: UnitDirectory,
  ) {}

  /** `?unit=CODE&days=1..60` (defaults: the caller's unit, 14 days). */
  @Get()
  async get(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<TrendResponse> {
    const { unit, days } = parseOrThrow(trendQuery, query, 'query');
    return this.figures.trend(await unitInJurisdiction(this.units, unit ?? caller.unitCode, caller), days);
  }
}
