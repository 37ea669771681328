import type { TrendResponse } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import { formatDayKey } from '../lib/time';

interface Props {
  trend: TrendResponse | undefined;
  error: boolean;
  wall?: boolean;
}

const WIDTH = 168;
const HEIGHT = 44;
const GAP = 2;

/** F0 per day over the last 14 days: inline SVG bars, the peak and the last day in words. */
export function TrendChart({ trend, error, wall }: Props) {
  const { t, formatNumber } = useI18n();
  const days = trend?.days ?? [];
  if (days.length === 0) {
    // As tall as the chart (title, bars, axis line), so the figures bar keeps its height when
    // the days arrive and the page does not move under the officer's eyes.
    return (
      <div className={wall ? 'trend is-wall' : 'trend'} data-testid="trend-chart" data-days={0}>
        <span className="trend-title">{t('trend.title')}</span>
        <span className="trend-empty">{error || trend ? t('trend.none') : '…'}</span>
        <div className="trend-axis-labels" aria-hidden="true">
          {'\u00a0'}
        </div>
      </div>
    );
  }
  const max = Math.max(1, ...days.map((day) => day.f0));
  const barWidth = (WIDTH - GAP * (days.length - 1)) / days.length;
  const last = days[days.length - 1];
  const first = days[0];
  return (
    <figure
      className={wall ? 'trend is-wall' : 'trend'}
      data-testid="trend-chart"
      data-days={days.length}
    >
      <figcaption className="trend-title">
        {t('trend.title')}
        <span className="trend-peak"> · {t('trend.max', { value: formatNumber(max) })}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${t('trend.label')}: ${days
          .map((day) => t('trend.day', { day: formatDayKey(day.day), value: day.f0 }))
          .join(', ')}`}
      >
        <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="trend-axis" />
        {days.map((day, i) => {
          const h = day.f0 === 0 ? 1 : Math.max(2, (day.f0 / max) * (HEIGHT - 2));
          return (
            <rect
              key={day.day}
              x={i * (barWidth + GAP)}
              y={HEIGHT - h}
              width={barWidth}
              height={h}
              className={i === days.length - 1 ? 'trend-bar is-last' : 'trend-bar'}
            >
              <title>
                {t('trend.day', { day: formatDayKey(day.day), value: formatNumber(day.f0) })}
              </title>
            </rect>
          );
        })}
      </svg>
      <div className="trend-axis-labels">
        <span>{formatDayKey(first.day).slice(0, 5)}</span>
        <span>
          {formatDayKey(last.day).slice(0, 5)}: <strong>{formatNumber(last.f0)}</strong>
        </span>
      </div>
    </figure>
  );
}
