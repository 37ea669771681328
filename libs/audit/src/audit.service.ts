import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '@frontline/contracts';

export type AuditAction = 'read' | 'export' | 'change';

/** One access to personal data: who, what record, which fields (names only, never values). */
export interface AuditEntry {
  actor: { userId: string; username: string; role: Role };
  action: AuditAction;
  /** What kind of record was touched, e.g. 'event'. */
  recordType: string;
  recordId: string;
  /** Names of the personal fields read, exported or changed. */
  fields: readonly string[];
  /** The unit the record belongs to, so audits can be reviewed per jurisdiction. */
  unitCode?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
}

/** Long enough for any real browser; a header of 8 KB is not worth storing. */
const MAX_USER_AGENT = 512;

/**
 * Writes the append-only audit log. Callers pass the EntityManager of the transaction that
 * reads the personal data, so the data and its audit row commit together: if the audit row
 * cannot be written, the caller gets an error instead of the data.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records one entry or a batch of entries in one statement. */
  async record(entries: AuditEntry | readonly AuditEntry[], manager: EntityManager | DataSource = this.dataSource): Promise<void> {
    const list = Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [entries as AuditEntry];
    if (!list.length) return;
    await manager.query(
      `INSERT INTO audit_log (actor_user_id, actor_username, actor_role, action, record_type, record_id, fields,
                              unit_code, client_ip, user_agent)
       SELECT t.user_id, t.username, t.role, t.action, t.record_type, t.record_id,
              ARRAY(SELECT jsonb_array_elements_text(t.fields)), t.unit_code, t.client_ip, t.user_agent
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                   $8::text[], $9::text[], $10::text[])
            AS t(user_id, username, role, action, record_type, record_id, fields, unit_code, client_ip, user_agent)`,
      [
        list.map((e) => e.actor.userId),
        list.map((e) => e.actor.username),
        list.map((e) => e.actor.role),
        list.map((e) => e.action),
        list.map((e) => e.recordType),
        list.map((e) => e.recordId),
        // Arrays of arrays of different lengths do not fit a text[][]; JSON carries each list.
        list.map((e) => JSON.stringify(e.fields)),
        list.map((e) => e.unitCode ?? null),
        list.map((e) => e.clientIp ?? null),
        list.map((e) => (e.userAgent ? e.userAgent.slice(0, MAX_USER_AGENT) : null)),
      ],
    );
  }
}
