import { ForbiddenException } from '@nestjs/common';
import type { Role } from '@frontline/contracts';
import type { Principal } from '../auth/token.service';

/** Lab staff and the roles above them record and follow lab results; field teams do not. */
const LAB_ROLES: readonly Role[] = ['lab', 'duty-officer', 'commander', 'admin'];

export function assertLabRole(caller: Principal): void {
  if (!LAB_ROLES.includes(caller.role)) {
    throw new ForbiddenException(`role ${caller.role} may not record or read lab results`);
  }
}

export const actorOf = (caller: Principal): string => `user:${caller.userId}`;
