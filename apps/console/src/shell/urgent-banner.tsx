import { Link, useRouterState } from '@tanstack/react-router';
import { useSyncExternalStore } from 'react';
import { alarm } from '../alerts/alarm';
import { useI18n } from '../i18n/i18n';
import { useLiveClient } from '../realtime/use-live-feed';
import { showsUrgentList } from './screens';
import './shell.css';

/**
 * Urgent reports nobody acknowledged, on every screen that does not list them itself (the
 * map's desk and the wall do): an officer on /cases sees one arrive and is one click away.
 */
export function UrgentBanner() {
  const { t, formatNumber } = useI18n();
  const client = useLiveClient();
  const live = useSyncExternalStore(client.subscribe, client.getState);
  const { rings } = useSyncExternalStore(alarm.subscribe, alarm.getSnapshot);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const count = live.unacknowledged.filter((event) => !event.drill).length;
  if (count === 0 || showsUrgentList(pathname)) return null;
  return (
    <div
      className="urgent-banner"
      role="alert"
      aria-label={t('shell.urgentLabel')}
      data-testid="urgent-banner"
      data-count={count}
      data-rings={rings}
    >
      <strong>{t('shell.urgent', { count: formatNumber(count) })}</strong>
      <Link to="/" data-testid="urgent-banner-open">
        {t('shell.urgentOpen')}
      </Link>
    </div>
  );
}
