import { Module } from '@nestjs/common';
import { TracingController } from './tracing.controller';
import { TracingRepository } from './tracing.repository';
import { TracingService } from './tracing.service';

@Module({ controllers: [TracingController], providers: [TracingService, TracingRepository] })
export class TracingModule {}
