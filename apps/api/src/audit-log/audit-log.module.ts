import { Module } from '@nestjs/common';
import { AuditModule } from '@frontline/audit';
import { AuditLogController } from './audit-log.controller';
import { AuditLogService } from './audit-log.service';

@Module({ imports: [AuditModule], controllers: [AuditLogController], providers: [AuditLogService] })
export class AuditLogModule {}
