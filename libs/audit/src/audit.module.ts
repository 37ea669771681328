import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The audit log writer; needs the DataSource that SpineModule provides globally. */
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
