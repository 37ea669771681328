import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { UnitDirectory, UnitNode } from '@frontline/spine';
import type { Principal } from '../auth/token.service';

/** The unit a request asks about: 404 when unknown, 403 when outside the caller's jurisdiction. */
export async function unitInJurisdiction(units: UnitDirectory, code: string, caller: Principal): Promise<UnitNode> {
  const unit = await units.resolve(code);
  if (!unit) throw new NotFoundException(`unknown unit "${code}"`);
  if (!UnitDirectory.within(caller.unitCode, unit.path)) {
    throw new ForbiddenException(`unit "${code}" is outside your jurisdiction`);
  }
  return unit;
}
