import type { Request } from 'express';

/** Where a request came from, as the audit log records it (req.ip honours TRUST_PROXY). */
export function clientInfo(req: Request): { clientIp: string | null; userAgent: string | null } {
  const agent = req.headers['user-agent'];
  return { clientIp: req.ip ?? null, userAgent: typeof agent === 'string' ? agent : null };
}
