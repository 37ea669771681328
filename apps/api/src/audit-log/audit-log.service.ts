import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AuditLogRepository } from '@frontline/audit';
import type { AuditRow, auditQuerySchema } from '@frontline/contracts';
import { UserEntity } from '@frontline/database';

/**
 * Search of the append-only audit log (docs/decisions/0006-audit-log.md) for admins: by actor
 * (user id or username), record id, record type and time range; newest first.
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly log: AuditLogRepository,
  ) {}

  async search(q: z.infer<typeof auditQuerySchema>): Promise<AuditRow[]> {
    // A user id or a username: resolved to the id so the actor index serves the query.
    const actorIds = q.actor
      ? [q.actor, ...(await this.dataSource.getRepository(UserEntity).find({ select: { id: true }, where: { username: q.actor } })).map((u) => u.id)]
      : undefined;
    return this.log.search({ actorIds, recordId: q.record, recordType: q.recordType, from: q.from, to: q.to, limit: q.limit });
  }
}
