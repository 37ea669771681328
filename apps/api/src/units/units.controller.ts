import { Controller, Get } from '@nestjs/common';
import type { UnitSummary } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';

@Controller('api/v1/units')
export class UnitsController {
  constructor(private readonly units: UnitDirectory) {}

  /** The caller's jurisdiction: their home unit and everything below it. */
  @Get()
  async list(@CurrentUser() user: Principal): Promise<UnitSummary[]> {
    await this.units.fresh();
    return this.units
      .subtree(user.unitCode)
      .map(({ code, name, level, parentCode }) => ({ code, name, level, parentCode }));
  }
}
