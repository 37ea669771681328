import { Module } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository';
import { AuditService } from './audit.service';

/** The audit log writer and its repository (searched by the api's audit module); needs the DataSource that SpineModule provides globally. */
@Module({ providers: [AuditLogRepository, AuditService], exports: [AuditLogRepository, AuditService] })
export class AuditModule {}
