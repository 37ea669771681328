import { useI18n } from '../i18n/i18n';

/** Purple and striped across every screen while drill events are shown. */
export function DrillBanner({ drill }: { drill: boolean }) {
  const { t } = useI18n();
  if (!drill) return null;
  return (
    <div className="drill-banner" role="status" data-testid="drill-banner">
      {t('drill.banner')}
    </div>
  );
}
