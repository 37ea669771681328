import type { MapPointLayer } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import { MAP_LAYERS, MEASURES } from '../map/layers';
import type { MeasureId } from '../map/layers';
import type { MapMode } from '../map/console-map';
import type { MapPointSource } from '../map/point-store';
import { usePointCounts } from '../map/use-point-counts';
import { MarkerSymbol } from './marker-symbol';

interface Props {
  /** Start folded (small screens: the map needs the room). */
  folded?: boolean;
  layers: readonly MapPointLayer[];
  mode: MapMode;
  shade: MeasureId;
  /** The map's points: counts per layer. */
  store: MapPointSource;
  onLayers: (layers: MapPointLayer[]) => void;
  onMode: (mode: MapMode) => void;
  onShade: (shade: MeasureId) => void;
}

/** Layer toggles from the one registry (map/layers.ts), point display mode, unit shading. */
export function LayerPanel({
  layers,
  mode,
  shade,
  store,
  onLayers,
  onMode,
  onShade,
  folded,
}: Props) {
  const { t, formatNumber } = useI18n();
  const counts = usePointCounts(store);
  const planned = MAP_LAYERS.filter((def) => !def.available);
  const toggle = (id: MapPointLayer) => {
    const on = new Set(layers);
    if (on.has(id)) on.delete(id);
    else on.add(id);
    onLayers(
      MAP_LAYERS.flatMap((def) => (def.kind === 'points' && on.has(def.id) ? [def.id] : [])),
    );
  };
  return (
    <details className="map-card layers-card" open={!folded} data-testid="layer-panel">
      <summary className="map-card-title">{t('layers.title')}</summary>
      <ul className="layer-items" role="group" aria-label={t('layers.title')}>
        {MAP_LAYERS.map((def) =>
          def.kind === 'points' ? (
            <li key={def.id}>
              <button
                type="button"
                className="layer-toggle"
                aria-pressed={layers.includes(def.id)}
                data-testid={`layer-toggle-${def.id}`}
                onClick={() => toggle(def.id)}
              >
                <span className="layer-check" aria-hidden="true" />
                <MarkerSymbol shape={def.shape} colour={def.colour} />
                <span className="layer-name">{t(def.label)}</span>
                <span className="layer-count">{formatNumber(counts[def.id])}</span>
              </button>
            </li>
          ) : null,
        )}
      </ul>
      {planned.length > 0 && (
        <p className="layers-planned" data-testid="layers-planned">
          {t('layers.planned')}: {planned.map((def) => t(def.label)).join(', ')}
        </p>
      )}
      <div className="segmented" role="group" aria-label={t('layers.mode')}>
        {(['points', 'heat'] as const).map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={mode === value}
            data-testid={`mode-${value}`}
            onClick={() => onMode(value)}
          >
            {t(`mode.${value}`)}
          </button>
        ))}
      </div>
      <label className="shade-field">
        <span className="field-label">{t('measure.title')}</span>
        <select
          value={shade}
          data-testid="shade-select"
          onChange={(event) => onShade(event.target.value as MeasureId)}
        >
          {MEASURES.map((measure) => (
            <option key={measure.id} value={measure.id} disabled={!measure.available}>
              {t(measure.label)}
              {measure.available ? '' : ` (${t('measure.unavailable')})`}
            </option>
          ))}
        </select>
      </label>
    </details>
  );
}
