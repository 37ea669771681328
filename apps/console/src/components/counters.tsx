import type { UnitCounters } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import { formatDayKey, formatRecent } from '../lib/time';
import type { LiveState } from '../realtime/feed-state';

const COUNTERS: readonly (keyof UnitCounters)[] = [
  'f0Today',
  'f0Last7Days',
  'f1Active',
  'testsToday',
  'positivesToday',
  'openReports',
];

/** When the figures were last known to be right: the snapshot, or the last event applied. */
function figuresAt(live: LiveState): number | null {
  const snapshotAt = live.snapshotAt ? Date.parse(live.snapshotAt) : NaN;
  const times = [snapshotAt, live.lastEventAt ?? NaN].filter((time) => !Number.isNaN(time));
  return times.length ? Math.max(...times) : null;
}

export function Counters({ live }: { live: LiveState }) {
  const { t, formatNumber } = useI18n();
  const stale = live.connection !== 'live';
  const at = figuresAt(live);
  return (
    <section
      className={stale ? 'counters is-stale' : 'counters'}
      aria-label={t('counters.label')}
      data-testid="counters"
      data-stale={stale}
    >
      <ul className="counter-list">
        {COUNTERS.map((name) => {
          const value = live.counters?.[name];
          return (
            <li
              key={name}
              className="counter"
              data-testid={`counter-${name}`}
              data-value={value ?? ''}
            >
              <span className="counter-value">
                {value === undefined ? '—' : formatNumber(value)}
              </span>
              <span className="counter-label">{t(`counter.${name}`)}</span>
            </li>
          );
        })}
      </ul>
      <p className="counters-meta" data-testid="counters-as-of">
        {live.countersDay && at !== null
          ? t('counters.asOf', { day: formatDayKey(live.countersDay), time: formatRecent(at) })
          : null}
        {stale && live.loaded ? <span className="stale-tag"> · {t('counters.stale')}</span> : null}
      </p>
    </section>
  );
}
