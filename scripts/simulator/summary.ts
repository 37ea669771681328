import type { SimulationStats } from '@frontline/simulation';
import type { RunResult } from './driver';
import { describeMix, n } from './format';

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const OUTCOME: Record<RunResult['outcome'], string> = {
  done: 'done',
  rejected: 'STOPPED: the API refused a request (see above)',
  unreachable: 'STOPPED: the API stayed unreachable',
  interrupted: 'interrupted',
};

export function printSummary(
  r: RunResult,
  stats: SimulationStats,
  target: { rate: number; durationS: number },
  /** Options that give the same stream (seed, scenario, units, drill), for the dry-run hint. */
  sameStream: string,
): void {
  const latencies = [...r.latenciesMs].sort((a, b) => a - b);
  const ok = latencies.length;
  const types = (counts: Partial<Record<string, number>>) =>
    Object.entries(counts)
      .map(([type, count]) => `${type} ${n(count ?? 0)}`)
      .join(', ');
  const lines = [
    '',
    `-- summary: ${OUTCOME[r.outcome]} --`,
    `time          ${r.elapsedS.toFixed(1)} s (asked ${target.durationS} s)`,
    `events        sent ${n(r.generated)}, accepted ${n(r.accepted)}, failed ${n(r.failed)}`,
    `rate          ${n(r.accepted / r.elapsedS)}/s accepted on average (asked ${n(target.rate)}/s)`,
    `requests      ${n(r.requests)} (${n(ok)} ok, ${n(ok ? r.accepted / ok : 0)} events each on average), ` +
      `${n(r.retries)} retries, ${n(r.transientErrors)} network/5xx errors`,
    `latency       p50 ${n(percentile(latencies, 50))} ms, p95 ${n(percentile(latencies, 95))} ms, ` +
      `max ${n(latencies[latencies.length - 1] ?? 0)} ms`,
    `accepted      ${types(r.acceptedByType) || 'none'}`,
    ...describeMix(stats).slice(1),
    `ids           ${n(r.generated)} generated, first ${r.firstId ?? '-'}, last ${r.lastId ?? '-'}`,
    `              sha256 ${r.idsSha256}`,
    `              (check: npm run simulate -- --dry-run --count ${r.generated}${sameStream})`,
  ];
  for (const line of lines) console.log(line);
}
