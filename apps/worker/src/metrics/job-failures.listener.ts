import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { QueueMetrics } from '@frontline/metrics';

/**
 * Counts the failed job attempts of every BullMQ processor of the worker (the BullMQ worker's
 * `failed` event), so a new processor is counted without saying so.
 */
@Injectable()
export class JobFailuresListener implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly queues: QueueMetrics,
  ) {}

  /** After init: @nestjs/bullmq creates each processor's worker in its module-init step. */
  onApplicationBootstrap(): void {
    for (const { instance } of this.discovery.getProviders()) {
      if (!(instance instanceof WorkerHost)) continue;
      const worker = instance.worker;
      worker.on('failed', () => this.queues.jobFailed(worker.name));
    }
  }
}
