import { Controller, Get } from '@nestjs/common';
import type { z } from 'zod';
import {
  ChildrenFiguresResponse,
  unitCodeParamsSchema,
  UnitsGeoJson,
  unitsGeoQuerySchema,
  UnitSummary,
} from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { CurrentUser } from '../auth/auth.guard';
import { Policy } from '../auth/roles.guard';
import type { Principal } from '../auth/token.service';
import { unitInJurisdiction } from '../common/jurisdiction';
import { ValidParams, ValidQuery } from '../common/validation';
import { FiguresService } from '../figures/figures.service';
import { UnitsGeoService } from './units-geo.service';

@Controller('api/v1/units')
@Policy('units.read')
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
  async geo(@ValidQuery(unitsGeoQuerySchema) { root }: z.infer<typeof unitsGeoQuerySchema>, @CurrentUser() caller: Principal): Promise<UnitsGeoJson> {
    const unit = await unitInJurisdiction(this.units, root ?? caller.unitCode, caller);
    return this.geoService.geo(unit.code);
  }

  /** Figures of each direct child of a unit, for shading the map. */
  @Get(':code/children')
  async children(@ValidParams(unitCodeParamsSchema) { code }: z.infer<typeof unitCodeParamsSchema>, @CurrentUser() caller: Principal): Promise<ChildrenFiguresResponse> {
    return this.figures.children(await unitInJurisdiction(this.units, code, caller));
  }
}
