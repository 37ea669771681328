import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AccountStatus } from './account-status';
import { Principal, TokenService } from './token.service';

const PUBLIC_KEY = 'frontline:public';
/** Marks a route that needs no token (login, health, public pages). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** A route's handler and controller: a request's ExecutionContext, or the route table of the OpenAPI document. */
export type RouteTarget = Pick<ExecutionContext, 'getHandler' | 'getClass'>;

export function isPublic(reflector: Reflector, context: RouteTarget): boolean {
  return (
    reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]) ===
    true
  );
}

type AuthedRequest = Request & { principal?: Principal };

/** Global guard: every route needs a valid Bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly accounts: AccountStatus,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization ?? '';
    const credential = this.tokens.verify(
      header.startsWith('Bearer ') ? header.slice(7) : undefined,
    );
    // A well-signed token of a disabled account, or of one whose role, unit or password changed since, is refused alike.
    if (!credential || !(await this.accounts.current(credential)))
      throw new UnauthorizedException('missing or invalid access token');
    req.principal = credential.principal;
    return true;
  }
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new UnauthorizedException('missing or invalid access token');
  return principal;
});
