import { BadRequestException, ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@frontline/contracts';
import { clientActionIdSchema } from '@frontline/contracts';
import type { Principal } from '../auth/token.service';

/** Roles that run dispatch: create, assign, cancel tasks, triage reports, manage teams. */
const DISPATCHERS: readonly Role[] = ['commander', 'duty-officer', 'admin'];

export function isDispatcher(role: Role): boolean {
  return DISPATCHERS.includes(role);
}

export function assertDispatcher(caller: Principal, what: string): void {
  if (!isDispatcher(caller.role)) throw new ForbiddenException(`role ${caller.role} may not ${what}`);
}

/**
 * The client action id of a request: the body's `clientActionId` or the `Idempotency-Key` header
 * (the field page sends both on a retry; they must agree).
 */
export function clientActionId(req: Request, body: { clientActionId?: string }): string | null {
  const header = req.headers['idempotency-key'];
  const fromHeader = typeof header === 'string' && header ? header : null;
  if (fromHeader !== null) {
    const parsed = clientActionIdSchema.safeParse(fromHeader);
    if (!parsed.success) {
      throw new BadRequestException({
        message: `invalid header Idempotency-Key: ${parsed.error.issues[0].message}`,
        details: [{ path: 'headers.idempotency-key', message: parsed.error.issues[0].message }],
      });
    }
  }
  if (fromHeader && body.clientActionId && fromHeader !== body.clientActionId) {
    throw new BadRequestException({
      message: 'body.clientActionId: differs from the Idempotency-Key header',
      details: [{ path: 'body.clientActionId', message: 'differs from the Idempotency-Key header' }],
    });
  }
  return body.clientActionId ?? fromHeader;
}
