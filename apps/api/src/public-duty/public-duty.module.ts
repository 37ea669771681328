import { Module } from '@nestjs/common';
import { RosterModule } from '../roster/roster.module';
import { PublicDutyController } from './public-duty.controller';
import { PublicDutyService } from './public-duty.service';

/** The published duty list and page: no login, PostgreSQL only, cached, rate-limited. */
@Module({
  imports: [RosterModule],
  controllers: [PublicDutyController],
  providers: [PublicDutyService],
})
export class PublicDutyModule {}
