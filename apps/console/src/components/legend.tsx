import type { MapPointLayer } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import { COLOURS, POINT_LAYERS, measureDef } from '../map/layers';
import type { MeasureId } from '../map/layers';
import type { MapMode } from '../map/console-map';
import type { MapPointSource } from '../map/point-store';
import { usePointCounts } from '../map/use-point-counts';
import { MarkerSymbol } from './marker-symbol';

interface Props {
  shade: MeasureId;
  layers: readonly MapPointLayer[];
  mode: MapMode;
  /** The map's points: counts per layer. */
  store: MapPointSource;
  drill: boolean;
  /** True when some unit drawn has approximate geometry. */
  approximate: boolean;
  wall?: boolean;
}

/** What the colours and shapes on the map mean, and that dashed boundaries are approximate. */
export function Legend({ shade, layers, mode, store, drill, approximate, wall }: Props) {
  const { t, formatNumber } = useI18n();
  const counts = usePointCounts(store);
  const measure = measureDef(shade);
  const shown = wall ? POINT_LAYERS.filter((def) => layers.includes(def.id)) : [];
  return (
    <section
      className={wall ? 'map-card legend is-wall' : 'map-card legend'}
      aria-label={t('legend.title')}
      data-testid="legend"
    >
      {measure.breaks.length > 0 && (
        <div className="legend-block">
          <span className="legend-title">{t(measure.label)}</span>
          <ol className="legend-ramp">
            {measure.colours.map((colour, i) => (
              <li key={colour}>
                <span className="swatch" style={{ background: colour }} />
                <span>{i === 0 ? '0' : `≥ ${formatNumber(measure.breaks[i - 1])}`}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
      {approximate && (
        <p className="legend-row" data-testid="legend-approx">
          <svg width="28" height="8" aria-hidden="true">
            <line
              x1="0"
              y1="4"
              x2="28"
              y2="4"
              stroke={COLOURS.rootLine}
              strokeWidth="2"
              strokeDasharray="6 4"
            />
          </svg>
          {t('legend.approx')}
        </p>
      )}
      {shown.length > 0 && (
        <ul className="legend-points">
          {shown.map((def) => (
            <li key={def.id} className="legend-row">
              <MarkerSymbol shape={def.shape} colour={def.colour} />
              <span>{t(def.label)}</span>
              <span className="legend-count">
                {t('legend.points', { count: formatNumber(counts[def.id]) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {mode === 'heat' ? (
        <p className="legend-row">
          <span className="swatch heat-swatch" aria-hidden="true" />
          {t('legend.heat')}
        </p>
      ) : (
        <p className="legend-row">
          <span className="cluster-swatch" aria-hidden="true">
            12
          </span>
          {t('legend.cluster')}
        </p>
      )}
      <p className="legend-row">
        <span className="alert-swatch" aria-hidden="true" />
        {t('legend.alert')}
      </p>
      <p className="legend-source">{t('legend.source')}</p>
      {drill && (
        <p className="legend-row">
          <span className="drill-swatch" aria-hidden="true" />
          {t('legend.drill')}
        </p>
      )}
    </section>
  );
}
