import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';

@Module({ imports: [AuthModule], providers: [LiveGateway, LiveService], exports: [LiveService] })
export class LiveModule {}
