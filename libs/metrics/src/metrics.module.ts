import { Global, Module } from '@nestjs/common';
import { SPINE_METRICS } from '@frontline/spine';
import { EventMetrics } from './event-metrics';
import { MetricsRegistry } from './metrics-registry';
import { QueueMetrics } from './queue-metrics';
import { StreamMetrics } from './stream-metrics';

/**
 * The application's Prometheus registry and the series both apps have: committed events, relay
 * republishes, the stream and its consumer groups, the queues. Each app serves `scrape()` at
 * `/metrics` and declares its own series (HTTP, sockets) next to the code they measure.
 */
@Global()
@Module({
  providers: [
    MetricsRegistry,
    EventMetrics,
    { provide: SPINE_METRICS, useExisting: EventMetrics },
    StreamMetrics,
    QueueMetrics,
  ],
  exports: [MetricsRegistry, SPINE_METRICS, QueueMetrics],
})
export class MetricsModule {}
