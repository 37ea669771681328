import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { ChildrenFiguresResponse, unitCodeSchema, UnitsGeoJson, UnitSummary } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { parseOrThrow } from '../common/validation';
import { FiguresService } from '../figures/figures.service';
import { UnitsGeoService } from './units-geo.service';

const geoQuery = z.strictObject({ root: unitCodeSchema.optional() });
const codeParams = z.strictObject({ code: unitCodeSchema });

@Controller('api/v1/units')
export class UnitsController {
  constructor(
    private readonly units: UnitDirectory,
    private readonly geoService: UnitsGeoService,
    private readonly figures: FiguresService,
  ) {}

  /** The caller's jurisdiction: their home unit and everything below it. */
  @Get()
  async list(@CurrentUser() user: Principal): Promise<UnitSummary[]> {
    await this.units.fresh();
    return this.units
      .subtree(user.unitCode)
      .map(({ code, name, level, parentCode }) => ({ code, name, level, parentCode }));
  }

  /** `?root=CODE` (default: the caller's unit): polygons of the root and its whole subtree. */
  @Get('geo')
  async geo(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<UnitsGeoJson> {
    const { root } = parseOrThrow(geoQuery, query, 'query');
    const unit = await unitInJurisdiction(this.units, root ?? caller.unitCode, caller);
    return this.geoService.geo(unit.code);
  }

  /** Figures of each direct child of a unit, for shading the map. */
  @Get(':code/children')
  async children(@Param() params: unknown, @CurrentUser() caller: Principal): Promise<ChildrenFiguresResponse> {
    const { code } = parseOrThrow(codeParams, params, 'params');
    return this.figures.children(await unitInJurisdiction(this.units, code, caller));
  }
}
