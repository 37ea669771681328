import type { Request } from 'express';
import { clientActionIdSchema } from '@frontline/contracts';
import { fieldError } from '../common/validation';

/**
 * The client action id of a request: the body's `clientActionId` or the `Idempotency-Key` header
 * (the field page sends both on a retry; they must agree).
 */
export function clientActionId(req: Request, body: { clientActionId?: string }): string | null {
  const header = req.headers['idempotency-key'];
  const fromHeader = typeof header === 'string' && header ? header : null;
  if (fromHeader !== null) {
    const parsed = clientActionIdSchema.safeParse(fromHeader);
    if (!parsed.success) throw fieldError('headers.idempotency-key', parsed.error.issues[0].message);
  }
  if (fromHeader && body.clientActionId && fromHeader !== body.clientActionId) {
    throw fieldError('body.clientActionId', 'differs from the Idempotency-Key header');
  }
  return body.clientActionId ?? fromHeader;
}
