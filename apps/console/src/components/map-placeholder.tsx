import { useI18n } from '../i18n/i18n';

/** Holds the map's place in the layout until the console issue brings MapLibre. */
export function MapPlaceholder() {
  const { t } = useI18n();
  return (
    <section className="map-placeholder" data-testid="map-placeholder" aria-labelledby="map-title">
      <h2 id="map-title" className="panel-title">
        {t('map.title')}
      </h2>
      <p className="map-note">{t('map.note')}</p>
    </section>
  );
}
