import { useI18n } from '../i18n/i18n';
import { formatRecent } from '../lib/time';
import type { LiveState } from '../realtime/feed-state';

/** Says, across the screen, that what is shown is not live. Nothing when live. */
export function StaleBanner({ live }: { live: LiveState }) {
  const { t } = useI18n();
  const { connection, loaded, disconnectedAt } = live;
  if (connection === 'live') return null;
  if (!loaded && connection !== 'offline') return null; // first load: the feed says "loading"

  const since = formatRecent(disconnectedAt ?? Date.now());
  const text = !loaded
    ? t('stale.offlineNoData')
    : connection === 'offline'
      ? t('stale.offline', { since })
      : connection === 'reconnecting'
        ? t('stale.reconnecting', { since })
        : t('stale.resyncing');

  return (
    <div
      className={`stale-banner stale-${connection}`}
      data-testid="stale-banner"
      data-state={connection}
      role={connection === 'offline' ? 'alert' : 'status'}
    >
      {text}
    </div>
  );
}
