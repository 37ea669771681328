import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { allows, EventDetailResponse } from '@frontline/contracts';
import { AuditService } from '@frontline/audit';
import type { Principal } from '../auth/token.service';
import { toFeedEvent } from '../live/feed-event';
import { EventDetailRepository } from './event-detail.repository';
import { reachableRecord } from '../common/jurisdiction';

/** Where a request came from, for the audit row. */
export interface RequestClient {
  clientIp: string | null;
  userAgent: string | null;
}

/**
 * One event in full for a console: the feed view, its acknowledgement (reports) and, for roles
 * allowed to see them, its personal fields. Every read of personal fields writes an audit row in
 * the same transaction that reads them, so no personal data leaves without its audit row.
 */
@Injectable()
export class EventDetailService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: EventDetailRepository,
    private readonly audit: AuditService,
  ) {}

  async detail(id: string, caller: Principal, client: RequestClient): Promise<EventDetailResponse> {
    // Same answer whatever the event is, and whether it exists: its unit, type and content stay unknown to the caller.
    const found = reachableRecord(await this.repository.find(id), (f) => f.event.unitPath, caller, `no event with id "${id}"`);
    const event = toFeedEvent(found.event);
    const { acknowledgement } = found;

    if (!found.hasPersonal) return { event, acknowledgement, personal: null, personalAccess: 'none' };
    if (!allows(caller.role, 'personal-data.read')) {
      return { event, acknowledgement, personal: null, personalAccess: 'not-allowed' };
    }
    const personal = await this.dataSource.transaction(async (em) => {
      const fields = await this.repository.personalFields(em, id);
      if (!fields) return null;
      await this.audit.record(
        {
          actor: { userId: caller.userId, username: caller.username, role: caller.role },
          action: 'read',
          recordType: 'event',
          recordId: id,
          fields: Object.keys(fields),
          unitCode: found.event.unit,
          ...client,
        },
        em,
      );
      return fields;
    });
    return personal
      ? { event, acknowledgement, personal, personalAccess: 'granted' }
      : { event, acknowledgement, personal: null, personalAccess: 'none' };
  }
}
