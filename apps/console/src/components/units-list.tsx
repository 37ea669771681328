import type { ChildrenFiguresResponse } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import type { UnitTree } from '../lib/unit-tree';

interface Props {
  /** Start folded (small screens: the map needs the room). */
  folded?: boolean;
  tree: UnitTree | undefined;
  unit: string | null;
  figures: ChildrenFiguresResponse | undefined;
  onSelect: (code: string) => void;
}

/** The keyboard way to drill down: the units below the one in view, with their F0 in 7 days. */
export function UnitsList({ tree, unit, figures, onSelect, folded }: Props) {
  const { t, formatNumber } = useI18n();
  if (!tree || !unit) return null;
  const children = tree.children(unit);
  const parent = unit === tree.home ? null : (tree.get(unit)?.parentCode ?? null);
  const byCode = new Map((figures?.children ?? []).map((child) => [child.code, child]));
  return (
    <details className="map-card units-card" open={!folded} data-testid="units-list">
      <summary className="map-card-title">{t('units.title')}</summary>
      {parent && (
        <button
          type="button"
          className="link-button units-up"
          data-testid="units-up"
          onClick={() => onSelect(parent)}
        >
          ↑ {t('units.up', { unit: tree.name(parent) })}
        </button>
      )}
      {children.length === 0 ? (
        <p className="units-none">{t('units.none')}</p>
      ) : (
        <ul className="units-items">
          {children.map((child) => {
            const value = byCode.get(child.code)?.counters.f0Last7Days;
            return (
              <li key={child.code}>
                <button
                  type="button"
                  className="unit-item"
                  data-testid="unit-item"
                  data-code={child.code}
                  onClick={() => onSelect(child.code)}
                >
                  <span className="unit-name">{child.name}</span>
                  <span className="unit-value" title={t('units.f0')}>
                    {value === undefined ? '—' : formatNumber(value)}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </details>
  );
}
