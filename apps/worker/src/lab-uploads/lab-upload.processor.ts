import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { DataSource } from 'typeorm';
import type { Logger } from '@frontline/logger';
import { Job, Queue, QUEUES, UnrecoverableError } from '@frontline/queue';
import { EventStore, LOGGER, UnitDirectory, UnitOfWork } from '@frontline/spine';
import { type LabUploadJob, labUploadJobOptions } from '@frontline/lab-testing';
import { CheckpointMovedError, LabUploadRunner, UnreadableUploadError } from './lab-upload-runner';

/**
 * One upload at a time per worker. A killed worker's job is found stalled once its lock
 * (10 s) runs out and goes back to the queue; the next run resumes from the checkpoint, so a
 * stalled job is not a failure (maxStalledCount is generous).
 */
@Processor(QUEUES.labUploads, { concurrency: 1, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 20 })
export class LabUploadProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly runner: LabUploadRunner;

  constructor(
    dataSource: DataSource,
    store: EventStore,
    unitOfWork: UnitOfWork,
    units: UnitDirectory,
    @InjectQueue(QUEUES.labUploads) private readonly queue: Queue<LabUploadJob>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.runner = new LabUploadRunner(dataSource, store, unitOfWork, units, logger);
  }

  /** Uploads stored but never queued (Redis was away) or whose job was lost are queued again. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const id of await this.runner.pendingUploads()) {
        await this.queue.add('process', { uploadId: id }, labUploadJobOptions(id));
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'lab upload sweep failed');
    }
  }

  async process(job: Job<LabUploadJob>): Promise<unknown> {
    try {
      return await this.runner.run(job.data.uploadId, (progress) => job.updateProgress({ ...progress }));
    } catch (err) {
      if (err instanceof UnreadableUploadError) throw new UnrecoverableError(err.message);
      if (err instanceof CheckpointMovedError) {
        this.logger.warn({ uploadId: job.data.uploadId }, 'another run is processing this upload');
        return null;
      }
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.runner.markFailed(job.data.uploadId, (err as Error).message);
      }
      throw err;
    }
  }
}
