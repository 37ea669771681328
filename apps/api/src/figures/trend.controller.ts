import { Controller, Get } from '@nestjs/common';
import type { z } from 'zod';
import { TrendResponse, trendQuerySchema } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { Policy } from '../auth/roles.guard';
import { ValidQuery } from '../common/validation';
import { FiguresService } from './figures.service';

@Controller('api/v1/trend')
export class TrendController {
  constructor(
    private readonly figures: FiguresService,
    private readonly units: UnitDirectory,
  ) {}

  /** `?unit=CODE&days=1..60` (defaults: the caller's unit, 14 days). */
  @Get()
  @Policy('units.read')
  async get(@ValidQuery(trendQuerySchema) { unit, days }: z.infer<typeof trendQuerySchema>, @CurrentUser() caller: Principal): Promise<TrendResponse> {
    return this.figures.trend(await unitInJurisdiction(this.units, unit ?? caller.unitCode, caller), days);
  }
}
