import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Action, allows, POLICY } from '@frontline/contracts';
import { isPublic, RouteTarget } from './auth.guard';
import type { Principal } from './token.service';

const ACTION_KEY = 'frontline:action';

/** The policy-table action a route performs; the roles guard lets through only the roles it names. */
export const Policy = (action: Action) => SetMetadata(ACTION_KEY, action);

export function actionOf(reflector: Reflector, context: RouteTarget): Action | undefined {
  return reflector.getAllAndOverride<Action | undefined>(ACTION_KEY, [
    context.getHandler(),
    context.getClass(),
  ]);
}

/** The 403 of a role the policy table does not allow. */
export function forbiddenFor(role: string, action: Action): ForbiddenException {
  return new ForbiddenException(`role ${role} may not ${POLICY[action].does}`);
}

/**
 * Global guard, after the token check: a route that is not @Public() must declare its
 * @Policy(action), and the caller's role must be allowed it. A route without one is refused, so
 * a forgotten declaration fails closed.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || isPublic(this.reflector, context)) return true;
    const action = actionOf(this.reflector, context);
    if (!action) throw new ForbiddenException('this route declares no policy');
    const principal = context
      .switchToHttp()
      .getRequest<Request & { principal?: Principal }>().principal;
    if (!principal || !allows(principal.role, action))
      throw forbiddenFor(principal?.role ?? 'anonymous', action);
    return true;
  }
}
