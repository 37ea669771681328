import { Suspense, lazy, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MapPoint } from '../map/map-view';
import { loadMapView } from '../map/preload';
import type { ViewParams, SetView } from '../views/url-state';
import { alertPoints, f0Figures } from '../views/use-situation';
import type { Situation } from '../views/use-situation';
import { LayerPanel } from './layer-panel';
import { Legend } from './legend';
import { UnitsList } from './units-list';

const MapView = lazy(() => loadMapView().then((module) => ({ default: module.MapView })));

interface Props {
  situation: Situation;
  view: ViewParams;
  setView: SetView;
  focus: MapPoint | null;
  onSelectUnit: (code: string) => void;
  onSelectEvent: (id: string) => void;
  wall?: boolean;
}

/** The map with its cards: layers (desk), units list (desk), legend. */
export function MapPanel({
  situation: s,
  view,
  setView,
  focus,
  onSelectUnit,
  onSelectEvent,
  wall,
}: Props) {
  const { t } = useI18n();
  const unit = s.unit;
  // On a laptop-sized screen the cards start folded so the map keeps the room.
  const [compact] = useState(() => window.innerWidth < 1600 || window.innerHeight < 900);
  const figures = useMemo(
    () => (view.shade === 'f0-7d' ? f0Figures(s.children.data) : new Map<string, number>()),
    [view.shade, s.children.data],
  );
  const alerts = useMemo(() => alertPoints(s.unacknowledged), [s.unacknowledged]);
  const approximate = s.geo.some(
    (feature) =>
      feature.properties.approximate &&
      (feature.properties.code === unit || feature.properties.parentCode === unit),
  );
  const unitName = unit ? (s.tree?.name(unit) ?? unit) : '';
  const controlLabels = useMemo(
    () => ({
      zoomIn: t('map.zoomIn'),
      zoomOut: t('map.zoomOut'),
      attribution: t('map.attribution'),
    }),
    [t],
  );

  return (
    <section
      className={wall ? 'map-panel is-wall' : 'map-panel'}
      id="map"
      tabIndex={-1}
      aria-label={t('map.title')}
    >
      {s.configLoaded && unit !== null ? (
        <Suspense fallback={<p className="map-status">{t('map.loading')}</p>}>
          <MapView
            basemapStyleUrl={s.basemapStyleUrl}
            units={s.geo}
            view={unit}
            figures={figures}
            measure={view.shade}
            layers={view.layers}
            mode={view.mode}
            store={s.store}
            alerts={alerts}
            focus={focus}
            wall={wall}
            testHooks={view.testHooks}
            label={t('map.label', { unit: unitName })}
            loadingLabel={t('map.loading')}
            controlLabels={controlLabels}
            onSelectUnit={onSelectUnit}
            onSelectEvent={onSelectEvent}
          />
        </Suspense>
      ) : (
        <p className="map-status">{t('map.loading')}</p>
      )}
      {(s.geoError || s.pointsError) && (
        <p className="map-status is-warning" role="status">
          {s.geoError ? t('map.geoMissing') : t('map.pointsMissing')}
        </p>
      )}
      {!wall && (
        <div className="map-cards map-cards-left">
          <LayerPanel
            folded={compact}
            layers={view.layers}
            mode={view.mode}
            shade={view.shade}
            store={s.store}
            onLayers={(layers) => setView({ layers })}
            onMode={(mode) => setView({ mode })}
            onShade={(shade) => setView({ shade })}
          />
        </div>
      )}
      {!wall && (
        <div className="map-cards map-cards-right">
          <UnitsList
            folded={compact}
            tree={s.tree}
            unit={unit}
            figures={s.children.data}
            onSelect={onSelectUnit}
          />
        </div>
      )}
      <div className="map-cards map-cards-bottom">
        <Legend
          shade={view.shade}
          layers={view.layers}
          mode={view.mode}
          store={s.store}
          drill={view.drill}
          approximate={approximate}
          wall={wall}
        />
      </div>
    </section>
  );
}
