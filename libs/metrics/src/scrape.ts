import { withTimeout } from '@frontline/spine';

/** A scrape never waits longer than this on Redis; Prometheus's own timeout is 10 s by default. */
export const SCRAPE_TIMEOUT_MS = 1000;

/**
 * One read of `source` per scrape, however many gauges need it: prom-client collects every
 * gauge of a registry at once, so the gauges share the read in flight. The read gives up after
 * `timeoutMs`.
 */
export function sharedRead<T>(source: () => Promise<T>, timeoutMs: number): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= withTimeout(source(), timeoutMs).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
