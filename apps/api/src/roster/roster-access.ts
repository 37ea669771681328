import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { UnitDirectory } from '@frontline/spine';
import type { Principal } from '../auth/token.service';
import type { CenterPlace, RosterRepository } from './roster.repository';

export type CenterRow = CenterPlace;

/** A command center the caller may act on: 404 when unknown (naming the field), 403 outside their jurisdiction. */
export async function centerInJurisdiction(
  roster: RosterRepository,
  centerId: string,
  caller: Principal,
  field: string,
): Promise<CenterRow> {
  const center = await roster.center(centerId);
  if (!center) {
    throw new NotFoundException({
      message: `${field}: no command center "${centerId}"`,
      details: [{ path: field, message: 'unknown command center' }],
    });
  }
  if (!UnitDirectory.within(caller.unitCode, center.path)) {
    throw new ForbiddenException(`${field}: this command center is outside your jurisdiction`);
  }
  return center;
}
