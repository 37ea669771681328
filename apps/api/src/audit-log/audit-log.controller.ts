import { Controller, Get, Query } from '@nestjs/common';
import { auditQuerySchema, AuditRow } from '@frontline/contracts';
import { CurrentUser } from '../auth/auth.guard';
import type { Principal } from '../auth/token.service';
import { parseOrThrow } from '../common/validation';
import { AuditLogService } from './audit-log.service';

@Controller('api/v1/audit')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  /** Admin only: `?actor=&record=&recordType=&from=&to=&limit=`, newest first. */
  @Get()
  search(@Query() query: unknown, @CurrentUser() caller: Principal): Promise<AuditRow[]> {
    return this.audit.search(parseOrThrow(auditQuerySchema, query, 'query'), caller);
  }
}
