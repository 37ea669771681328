import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, event loop lag, GC, handles), started once per
 * Node process: they describe the process, not an application, and each start would leave an
 * event-loop monitor and a GC observer running. Several apps of one process (the in-process
 * test stack) serve the same ones.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The series of one application (api or worker), in its own registry, never prom-client's global
 * one: the test suite runs several apps in one process, and each must count only its own.
 * Series are declared by the injectables that own them (`registers: [metrics.registry]`).
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  /** The Prometheus text exposition of this application's series and the process's. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([this.registry, processMetrics()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
