import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { AuditRow, auditQuerySchema } from '@frontline/contracts';

/**
 * Search of the append-only audit log (docs/decisions/0006-audit-log.md) for admins: by actor
 * (user id or username), record id, record type and time range; newest first. Uses the
 * indexes on (actor_user_id, at), (record_type, record_id, at) and (at).
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly dataSource: DataSource) {}

  async search(q: z.infer<typeof auditQuerySchema>): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (q.actor) {
      // A user id or a username: resolved to the id so the actor index serves the query.
      const ids = (await this.dataSource.query(`SELECT id::text FROM users WHERE username = $1`, [q.actor])) as { id: string }[];
      add('actor_user_id = ANY(?::text[])', [q.actor, ...ids.map((r) => r.id)]);
    }
    if (q.record) add('record_id = ?', q.record);
    if (q.recordType) add('record_type = ?', q.recordType);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    params.push(q.limit);
    const rows = (await this.dataSource.query(
      `SELECT id::text, at, actor_user_id, actor_username, actor_role, action, record_type, record_id, fields, unit_code,
              client_ip, user_agent
       FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as {
      id: string;
      at: Date;
      actor_user_id: string;
      actor_username: string;
      actor_role: string;
      action: AuditRow['action'];
      record_type: string;
      record_id: string;
      fields: string[];
      unit_code: string | null;
      client_ip: string | null;
      user_agent: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorUserId: r.actor_user_id,
      actorUsername: r.actor_username,
      actorRole: r.actor_role,
      action: r.action,
      recordType: r.record_type,
      recordId: r.record_id,
      fields: r.fields,
      unit: r.unit_code,
      clientIp: r.client_ip,
      userAgent: r.user_agent,
    }));
  }
}
