import type { MapPointLayer, TrendResponse } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { formatDayKey, formatRecent } from '../lib/time';
import type { LiveState } from '../realtime/feed-state';
import { TrendChart } from './trend-chart';

export type FigureId =
  'f0Today' | 'f0Last7Days' | 'f1Active' | 'testsToday' | 'positivity' | 'openReports';

interface FigureDef {
  id: FigureId;
  label: MessageKey;
  /** The map layer (and its feed filter) a click on the figure shows alone. */
  layer: MapPointLayer;
}

export const FIGURES: readonly FigureDef[] = [
  { id: 'f0Today', label: 'counter.f0Today', layer: 'f0' },
  { id: 'f0Last7Days', label: 'counter.f0Last7Days', layer: 'f0' },
  { id: 'f1Active', label: 'counter.f1Active', layer: 'f1' },
  { id: 'testsToday', label: 'counter.testsToday', layer: 'positive-tests' },
  { id: 'positivity', label: 'counter.positivity', layer: 'positive-tests' },
  { id: 'openReports', label: 'counter.openReports', layer: 'reports' },
];

/** When the figures were last known to be right: the snapshot, or the last event applied. */
function figuresAt(live: LiveState): number | null {
  const snapshotAt = live.snapshotAt ? Date.parse(live.snapshotAt) : NaN;
  const times = [snapshotAt, live.lastEventAt ?? NaN].filter((time) => !Number.isNaN(time));
  return times.length ? Math.max(...times) : null;
}

interface Props {
  live: LiveState;
  unacknowledged: number;
  /** The layer shown alone because of a figure click, if any. */
  active: MapPointLayer | null;
  onFilter: (layer: MapPointLayer | null) => void;
  trend: TrendResponse | undefined;
  trendError: boolean;
  /** Wall: big numbers, no buttons. */
  wall?: boolean;
}

/** The unit's figures; each is a button that shows only its layer on the map and in the feed. */
export function Figures({
  live,
  unacknowledged,
  active,
  onFilter,
  trend,
  trendError,
  wall,
}: Props) {
  const { t, formatNumber, lang } = useI18n();
  const stale = live.connection !== 'live';
  const at = figuresAt(live);
  const c = live.loaded ? live.counters : null;
  const percent = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', {
    style: 'percent',
    maximumFractionDigits: 1,
  });

  const value = (id: FigureId): { text: string; raw: number | null; sub?: string } => {
    if (!c) return { text: '—', raw: null };
    switch (id) {
      case 'positivity': {
        const ratio = c.testsToday > 0 ? c.positivesToday / c.testsToday : null;
        return {
          text: ratio === null ? '—' : percent.format(ratio),
          raw: ratio,
          sub: t('figures.positivityOf', {
            positives: formatNumber(c.positivesToday),
            tests: formatNumber(c.testsToday),
          }),
        };
      }
      case 'openReports':
        return {
          text: formatNumber(c.openReports),
          raw: c.openReports,
          sub:
            unacknowledged > 0
              ? t('figures.unacked', { count: formatNumber(unacknowledged) })
              : undefined,
        };
      default:
        return { text: formatNumber(c[id]), raw: c[id] };
    }
  };

  return (
    <section
      className={`figures${stale ? ' is-stale' : ''}${wall ? ' is-wall' : ''}`}
      aria-label={t('counters.label')}
      data-testid="counters"
      data-stale={stale}
    >
      <ul className="figure-list">
        {FIGURES.map((figure) => {
          const v = value(figure.id);
          const pressed = active === figure.layer;
          const urgent = figure.id === 'openReports' && unacknowledged > 0;
          const body = (
            <>
              <span className="figure-value">{v.text}</span>
              <span className="figure-label">{t(figure.label)}</span>
              {/* Always a line, so the boxes keep their height when the figures arrive. */}
              <span className={urgent ? 'figure-sub is-urgent' : 'figure-sub'}>
                {v.sub ?? '\u00a0'}
              </span>
            </>
          );
          return (
            <li
              key={figure.id}
              className="figure"
              data-testid={`counter-${figure.id}`}
              data-value={v.raw ?? ''}
            >
              {wall ? (
                <div className="figure-box">{body}</div>
              ) : (
                <button
                  type="button"
                  className="figure-box"
                  aria-pressed={pressed}
                  data-testid={`figure-${figure.id}`}
                  title={t('figures.filter', { what: t(`layer.${figure.layer}`) })}
                  onClick={() => onFilter(pressed ? null : figure.layer)}
                >
                  {body}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <div className="figures-side">
        <TrendChart trend={trend} error={trendError} wall={wall} />
        <p className="counters-meta" data-testid="counters-as-of">
          {live.countersDay && at !== null
            ? t('counters.asOf', { day: formatDayKey(live.countersDay), time: formatRecent(at) })
            : null}
          {stale && live.loaded ? (
            <span className="stale-tag"> · {t('counters.stale')}</span>
          ) : null}
        </p>
      </div>
    </section>
  );
}
