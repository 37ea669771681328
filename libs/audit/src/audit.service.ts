import { Injectable } from '@nestjs/common';
import type { Role } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';
import { AuditLogRepository } from './audit-log.repository';

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
  constructor(private readonly log: AuditLogRepository) {}

  /** Records one entry or a batch of entries in one statement. */
  async record(entries: AuditEntry | readonly AuditEntry[], manager?: Queryable): Promise<void> {
    const list = Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [entries as AuditEntry];
    if (!list.length) return;
    await this.log.insert(
      list.map((e) => ({ ...e, userAgent: e.userAgent ? e.userAgent.slice(0, MAX_USER_AGENT) : null })),
      manager,
    );
  }
}
