import { useI18n } from '../i18n/i18n';
import type { UnitTree } from '../lib/unit-tree';

interface Props {
  tree: UnitTree | undefined;
  unit: string | null;
  /** Shown while the jurisdiction loads (the home unit's name from the session). */
  fallbackName: string;
  onSelect: (code: string) => void;
}

/** Home unit › … › unit in view; every level above the current one is a button. */
export function Breadcrumb({ tree, unit, fallbackName, onSelect }: Props) {
  const { t } = useI18n();
  const path = tree && unit ? tree.pathTo(unit) : [];
  return (
    <nav className="breadcrumb" aria-label={t('header.breadcrumb')} data-testid="breadcrumb">
      <ol>
        {path.length === 0 ? (
          <li>
            <strong>{fallbackName}</strong>
          </li>
        ) : (
          path.map((step, i) => (
            <li key={step.code}>
              {i === path.length - 1 ? (
                <strong
                  aria-current="location"
                  data-testid="breadcrumb-current"
                  data-code={step.code}
                >
                  {step.name}
                </strong>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  data-testid={`breadcrumb-${step.code}`}
                  onClick={() => onSelect(step.code)}
                >
                  {step.name}
                </button>
              )}
            </li>
          ))
        )}
      </ol>
    </nav>
  );
}
