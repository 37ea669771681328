import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES } from '@frontline/queue';
import { LabResultsRepository } from './lab-results.repository';
import { LabResultsService } from './lab-results.service';
import { LabUploadsRepository } from './lab-uploads.repository';
import { LabUploadsService } from './lab-uploads.service';
import { TestingController } from './testing.controller';

/** Lab results, pools, retests and bulk uploads (docs/decisions/0013-lab-testing.md). */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.labUploads })],
  controllers: [TestingController],
  providers: [LabResultsService, LabUploadsService, LabResultsRepository, LabUploadsRepository],
})
export class TestingModule {}
