export { MetricsRegistry } from './metrics-registry';
export { MetricsModule } from './metrics.module';
export { QueueMetrics } from './queue-metrics';
export { mayScrape } from './scrape-access';
