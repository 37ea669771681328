import { Controller, Get } from '@nestjs/common';
import type { z } from 'zod';
import { auditQuerySchema, AuditRow } from '@frontline/contracts';
import { Policy } from '../auth/roles.guard';
import { ValidQuery } from '../common/validation';
import { AuditLogService } from './audit-log.service';

@Controller('api/v1/audit')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  /** Admin only: `?actor=&record=&recordType=&from=&to=&limit=`, newest first. */
  @Get()
  @Policy('audit.search')
  search(@ValidQuery(auditQuerySchema) query: z.infer<typeof auditQuerySchema>): Promise<AuditRow[]> {
    return this.audit.search(query);
  }
}
