import { createHash, Hash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventInput, EventType } from '@frontline/contracts';
import { ApiClient, RejectedError, TransientError, UnauthorizedError } from './client';
import { n } from './format';

/**
 * The HTTP side of the simulator: paces the generator's events with a token bucket, sends
 * them in batches (several requests in flight when one at a time cannot keep the rate),
 * retries what failed on the way with the same event ids, and keeps the score.
 */

export interface DriverOptions {
  rate: number;
  durationS: number;
  batch: number;
  concurrency: number;
  tickMs: number;
  progressS: number;
  retries: number;
}

export interface EventSource {
  next(): EventInput;
}

export type Outcome = 'done' | 'rejected' | 'unreachable' | 'interrupted';

export interface RunResult {
  outcome: Outcome;
  elapsedS: number;
  /** Events taken from the generator (a prefix of its stream) and put in a request. */
  generated: number;
  accepted: number;
  /** Events of requests given up after the retries (or refused). */
  failed: number;
  requests: number;
  retries: number;
  transientErrors: number;
  generatedByType: Partial<Record<EventType, number>>;
  acceptedByType: Partial<Record<EventType, number>>;
  latenciesMs: number[];
  firstId?: string;
  lastId?: string;
  /** sha256 of the generated ids in stream order, newline-separated. */
  idsSha256: string;
}

export class TrafficDriver {
  private readonly idsHash: Hash = createHash('sha256');
  private readonly inFlight = new Set<Promise<void>>();
  private stopping: Outcome | null = null;
  private relogin: Promise<void> | null = null;
  private generated = 0;
  private accepted = 0;
  private failed = 0;
  private requests = 0;
  private retries = 0;
  private transientErrors = 0;
  private readonly generatedByType: Partial<Record<EventType, number>> = {};
  private readonly acceptedByType: Partial<Record<EventType, number>> = {};
  private readonly latenciesMs: number[] = [];
  private firstId?: string;
  private lastId?: string;
  private lastTransient = '';
  private rejectionReported = false;

  constructor(
    private readonly options: DriverOptions,
    private readonly client: ApiClient,
    private readonly source: EventSource,
    private readonly login: () => Promise<void>,
    private readonly progressLine: (elapsedS: number) => string = () => '',
  ) {}

  /** Ends the run early (Ctrl-C): nothing new is sent; requests in flight finish. */
  interrupt(): void {
    this.stopping ??= 'interrupted';
  }

  async run(): Promise<RunResult> {
    const { rate, durationS, batch, concurrency, tickMs, progressS } = this.options;
    const t0 = performance.now();
    const endAt = t0 + durationS * 1000;
    // The bucket holds at most a second of events: after a stall the driver catches up that
    // much, no more, so a slow API shows as a lower rate rather than a burst.
    const capacity = Math.max(1, rate);
    let tokens = 0;
    let last = t0;
    let nextProgress = t0 + progressS * 1000;
    let window = { at: t0, accepted: 0 };

    const refill = (now: number) => {
      tokens = Math.min(capacity, tokens + (rate * (now - last)) / 1000);
      last = now;
    };
    const sendWhatTheBucketAllows = () => {
      while (tokens >= 1 && this.inFlight.size < concurrency && !this.stopping) {
        const count = Math.min(Math.floor(tokens), batch);
        tokens -= count;
        this.launch(this.take(count));
      }
    };

    while (!this.stopping) {
      const now = performance.now();
      if (now >= endAt) break;
      refill(now);
      sendWhatTheBucketAllows();
      if (now >= nextProgress) {
        const rateNow = ((this.accepted - window.accepted) * 1000) / (now - window.at);
        window = { at: now, accepted: this.accepted };
        nextProgress += progressS * 1000;
        console.log(this.progress((now - t0) / 1000, rateNow));
      }
      await sleep(Math.max(1, Math.min(tickMs, endAt - performance.now())));
    }
    if (!this.stopping) {
      refill(endAt); // the events of the last partial tick
      tokens = Math.round(tokens * 1e6) / 1e6; // 0.9999999 after many small refills is 1
      sendWhatTheBucketAllows();
    }

    const sendingEnded = performance.now();
    while (this.inFlight.size) await Promise.race(this.inFlight);
    const elapsedS = (performance.now() - t0) / 1000;
    if (performance.now() - sendingEnded > 1000) {
      console.log(
        `(waited ${((performance.now() - sendingEnded) / 1000).toFixed(1)} s for requests in flight)`,
      );
    }
    return {
      outcome: this.stopping ?? 'done',
      elapsedS,
      generated: this.generated,
      accepted: this.accepted,
      failed: this.failed,
      requests: this.requests,
      retries: this.retries,
      transientErrors: this.transientErrors,
      generatedByType: this.generatedByType,
      acceptedByType: this.acceptedByType,
      latenciesMs: this.latenciesMs,
      firstId: this.firstId,
      lastId: this.lastId,
      idsSha256: this.idsHash.digest('hex'),
    };
  }

  private progress(elapsedS: number, rateNow: number): string {
    const avg = elapsedS > 0 ? this.accepted / elapsedS : 0;
    const errors = this.transientErrors
      ? `  errors ${n(this.transientErrors)} (last: ${this.lastTransient})`
      : '';
    const types = Object.entries(this.acceptedByType)
      .map(([type, count]) => `${type.split('.')[0]} ${n(count)}`)
      .join(' ');
    const extra = this.progressLine(elapsedS);
    return (
      `[${elapsedS.toFixed(1).padStart(6)}s] sent ${n(this.generated)}  accepted ${n(this.accepted)}  ` +
      `failed ${n(this.failed)}  retries ${n(this.retries)}  in flight ${this.inFlight.size}${errors} | ` +
      `${n(rateNow)}/s now, ${n(avg)}/s avg | ${types}${extra ? ` | ${extra}` : ''}`
    );
  }

  private take(count: number): EventInput[] {
    const events: EventInput[] = [];
    for (let i = 0; i < count; i++) {
      const event = this.source.next();
      events.push(event);
      this.idsHash.update(`${event.id}\n`);
      this.firstId ??= event.id;
      this.lastId = event.id;
      this.generatedByType[event.type] = (this.generatedByType[event.type] ?? 0) + 1;
    }
    this.generated += count;
    return events;
  }

  private launch(events: EventInput[]): void {
    const request = this.deliver(events).finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }

  /** One batch until it is accepted, refused (4xx: stop the run) or given up on. */
  private async deliver(events: EventInput[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.stopping === 'rejected' || this.stopping === 'unreachable') {
        this.failed += events.length;
        return;
      }
      const started = performance.now();
      try {
        this.requests++;
        const res = await this.client.postEvents(events);
        this.latenciesMs.push(performance.now() - started);
        this.record(events, res.accepted);
        return;
      } catch (err) {
        if (err instanceof UnauthorizedError && attempt === 0) {
          await this.loginAgain();
          continue;
        }
        if (err instanceof TransientError) {
          this.transientErrors++;
          this.lastTransient = err.message;
          if (attempt < this.options.retries) {
            this.retries++;
            await sleep(backoffMs(attempt));
            continue;
          }
          if (!this.stopping || this.stopping === 'interrupted') {
            console.error(`giving up after ${attempt + 1} attempts: ${err.message}`);
          }
          this.stopping = 'unreachable';
        } else {
          if (!this.rejectionReported) reportRejection(err, events);
          this.rejectionReported = true;
          this.stopping = 'rejected';
        }
        this.failed += events.length;
        return;
      }
    }
  }

  private record(events: EventInput[], accepted: { id: string; seq: number }[]): void {
    if (accepted.length !== events.length || accepted.some((a, i) => a.id !== events[i].id)) {
      console.error(
        `warning: the API answered ${accepted.length} ids for ${events.length} events, or not in order ` +
          '(expected one {id, seq} per event, same order)',
      );
    }
    this.accepted += accepted.length;
    for (const event of events) {
      this.acceptedByType[event.type] = (this.acceptedByType[event.type] ?? 0) + 1;
    }
  }

  /** One login for all requests that found their token expired. */
  private loginAgain(): Promise<void> {
    this.relogin ??= this.login().finally(() => {
      this.relogin = null;
    });
    return this.relogin;
  }
}

/** 250 ms, 500 ms, 1 s ... up to 10 s, with jitter so retries do not come back in step. */
export function backoffMs(attempt: number): number {
  const base = Math.min(10_000, 250 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/** A 4xx is a bug (in the generator or the API): say exactly what the API said, once. */
function reportRejection(err: unknown, events: EventInput[]): void {
  if (!(err instanceof RejectedError)) {
    console.error(`request failed: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const body = err.body;
  console.error(`\nThe API refused a batch of ${events.length} events: ${err.message}`);
  if (typeof body !== 'string') {
    for (const d of body.details ?? []) console.error(`  ${d.path}: ${d.message}`);
    const index = /^events\[(\d+)\]/.exec(body.details?.[0]?.path ?? '')?.[1];
    if (index !== undefined && events[Number(index)]) {
      console.error(`first event named:\n  ${JSON.stringify(events[Number(index)])}`);
    }
  }
  console.error(
    'This is a bug in the simulator or the API: stopping (nothing of that batch was accepted).',
  );
}
