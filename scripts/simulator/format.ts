import type { SimulationStats, TestTally } from '@frontline/simulation';

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function n(x: number): string {
  return nf.format(x);
}

export function pct(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

function tally(t: TestTally): string {
  return `${pct(t.positive, t.tests)} of ${n(t.tests)}`;
}

/** What the generated stream looked like: the outbreak, test positivity, reports. */
export function describeMix(stats: SimulationStats): string[] {
  const f0 = Object.values(stats.f0BySource).reduce((a, b) => a + b, 0);
  const sources = Object.entries(stats.f0BySource)
    .filter(([, count]) => count > 0)
    .map(([source, count]) => `${source} ${n(count)}`)
    .join(', ');
  const reports = Object.values(stats.reports).reduce((a, b) => a + b, 0);
  const categories = Object.entries(stats.reports)
    .filter(([, count]) => count > 0)
    .map(([category, count]) => `${category} ${n(count)}`)
    .join(', ');
  return [
    `by type       ${Object.entries(stats.byType)
      .map(([type, count]) => `${type} ${n(count)}`)
      .join(', ')}`,
    `outbreak      wave ${stats.wave} day ${stats.day}; F0 ${n(f0)} (${sources || 'none yet'}); ` +
      `F1 ${n(stats.contacts.F1)} (${f0 ? (stats.contacts.F1 / f0).toFixed(1) : '-'} per F0 so far), F2 ${n(stats.contacts.F2)}; ` +
      `clusters started ${n(stats.clustersStarted)}`,
    `positivity    screening ${tally(stats.tests.screening)}, F1 ${tally(stats.tests.f1)}, ` +
      `confirmatory ${tally(stats.tests.confirmatory)}`,
    `reports       ${n(reports)} (${categories || 'none'}); illegal-entry in border districts ` +
      `${pct(stats.illegalEntryInBorderUnits, stats.reports['illegal-entry'])}`,
  ];
}
