import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditRow } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';
import type { AuditEntry } from './audit.service';

interface AuditDbRow {
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
}

/** What an audit search looks for; every filter is optional. */
export interface AuditSearch {
  /** Account ids the entries were written by (a username is resolved to its id by the caller). */
  actorIds?: string[];
  recordId?: string;
  recordType?: string;
  from?: string;
  to?: string;
  limit: number;
}

/**
 * The append-only `audit_log` (docs/decisions/0006-audit-log.md): batches written in one
 * statement, searched through the indexes on (actor_user_id, at), (record_type, record_id, at)
 * and (at).
 */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(entries: readonly AuditEntry[], db: Queryable = this.dataSource): Promise<void> {
    await db.query(
      `INSERT INTO audit_log (actor_user_id, actor_username, actor_role, action, record_type, record_id, fields,
                              unit_code, client_ip, user_agent)
       SELECT t.user_id, t.username, t.role, t.action, t.record_type, t.record_id,
              ARRAY(SELECT jsonb_array_elements_text(t.fields)), t.unit_code, t.client_ip, t.user_agent
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                   $8::text[], $9::text[], $10::text[])
            AS t(user_id, username, role, action, record_type, record_id, fields, unit_code, client_ip, user_agent)`,
      [
        entries.map((e) => e.actor.userId),
        entries.map((e) => e.actor.username),
        entries.map((e) => e.actor.role),
        entries.map((e) => e.action),
        entries.map((e) => e.recordType),
        entries.map((e) => e.recordId),
        // Arrays of arrays of different lengths do not fit a text[][]; JSON carries each list.
        entries.map((e) => JSON.stringify(e.fields)),
        entries.map((e) => e.unitCode ?? null),
        entries.map((e) => e.clientIp ?? null),
        entries.map((e) => e.userAgent ?? null),
      ],
    );
  }

  /** Matching entries, newest first. */
  async search(q: AuditSearch): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (q.actorIds) add('actor_user_id = ANY(?::text[])', q.actorIds);
    if (q.recordId) add('record_id = ?', q.recordId);
    if (q.recordType) add('record_type = ?', q.recordType);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    params.push(q.limit);
    const rows = (await this.dataSource.query(
      `SELECT id::text, at, actor_user_id, actor_username, actor_role, action, record_type, record_id, fields, unit_code,
              client_ip, user_agent
       FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as AuditDbRow[];
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
