/** Percentile of an already sorted array (nearest rank). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(values: number[]): { n: number; min: number; p50: number; p90: number; p99: number; max: number; mean: number } {
  const sorted = Float64Array.from(values).sort();
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  return {
    n: values.length,
    min: sorted[0] ?? NaN,
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean,
  };
}

/**
 * A fixed-width histogram for very many latency samples (millions of socket receipts): 0.25 ms
 * buckets from `minMs` up to `maxMs`; samples outside land in the first / last bucket and are
 * counted as under / over. Negative values are real: under overload an event can reach a socket
 * long before the HTTP answer for it reaches the poster. Histograms merge by adding counts.
 */
export class LatencyHistogram {
  static readonly RESOLUTION_MS = 0.25;
  readonly counts: Uint32Array;
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  under = 0;
  over = 0;

  constructor(
    readonly minMs = -30_000,
    readonly maxMs = 60_000,
  ) {
    this.counts = new Uint32Array(Math.ceil((maxMs - minMs) / LatencyHistogram.RESOLUTION_MS) + 1);
  }

  record(ms: number): void {
    this.n++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    let idx = Math.floor((ms - this.minMs) / LatencyHistogram.RESOLUTION_MS);
    if (idx < 0) {
      idx = 0;
      this.under++;
    } else if (idx >= this.counts.length) {
      idx = this.counts.length - 1;
      this.over++;
    }
    this.counts[idx]++;
  }

  percentile(p: number): number {
    if (!this.n) return NaN;
    const target = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= target) return this.minMs + (i + 1) * LatencyHistogram.RESOLUTION_MS; // upper edge of the bucket
    }
    return this.max;
  }

  /** Share of samples above `ms`. */
  fractionAbove(ms: number): number {
    if (!this.n) return 0;
    const idx = Math.floor((ms - this.minMs) / LatencyHistogram.RESOLUTION_MS);
    let above = 0;
    for (let i = Math.max(0, idx + 1); i < this.counts.length; i++) above += this.counts[i];
    return above / this.n;
  }

  toJSON(): SerializedHistogram {
    const sparse: [number, number][] = [];
    this.counts.forEach((c, i) => {
      if (c) sparse.push([i, c]);
    });
    return { minMs: this.minMs, maxMs: this.maxMs, n: this.n, sum: this.sum, min: this.min, max: this.max, under: this.under, over: this.over, sparse };
  }

  merge(other: SerializedHistogram): void {
    if (other.minMs !== this.minMs || other.maxMs !== this.maxMs) throw new Error('histogram ranges differ');
    for (const [i, c] of other.sparse) this.counts[i] += c;
    this.n += other.n;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.under += other.under;
    this.over += other.over;
  }

  summary(): { n: number; min: number; p50: number; p90: number; p99: number; p999: number; max: number; mean: number } {
    return {
      n: this.n,
      min: this.min,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.max,
      mean: this.n ? this.sum / this.n : NaN,
    };
  }
}

export interface SerializedHistogram {
  minMs: number;
  maxMs: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  under: number;
  over: number;
  sparse: [number, number][];
}

export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

/** One line of CPU figures (from foldOthers), biggest first, with the other-process note at the end. */
export function cpuLine(c: Record<string, number | string>): string {
  const nums = Object.entries(c).filter((e): e is [string, number] => typeof e[1] === 'number' && e[0] !== 'other processes (not this run)');
  const main = nums
    .filter(([, v]) => Math.abs(v) >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v} %`)
    .join(', ');
  const other = c['other processes (not this run)'];
  return `${main}; other processes (not this run) ${other} %${c['other processes, top'] && c['other processes, top'] !== '-' ? ` (${c['other processes, top']})` : ''}`;
}

/** A loud line when other work on the machine took CPU during the measured window. */
export function disturbedNote(c: Record<string, number | string>, limitPct = 15): string | null {
  const other = Number(c['other processes (not this run)'] ?? 0);
  const unattributed = Number(c['kernel / unattributed'] ?? 0);
  if (other <= limitPct && unattributed <= limitPct) return null;
  return `> **Disturbed run:** other processes used ${other} % of one core during the window (${c['other processes, top']}), unattributed ${unattributed} %; the figures understate the product.`;
}
