import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatRecent } from '../lib/time';
import type { LiveState } from '../realtime/feed-state';

/**
 * How long the first connection may take before the banner says the screen is not live yet.
 * Until then the header's connection status says it is syncing: a banner that comes and goes
 * within a second of every sign-in only moves the page.
 */
const FIRST_SYNC_GRACE_MS = 5000;

/** Says, across the screen, that what is shown is not live. Nothing when live. */
export function StaleBanner({ live }: { live: LiveState }) {
  const { t } = useI18n();
  const { connection, loaded, disconnectedAt } = live;
  const [wasLive, setWasLive] = useState(false);
  const [graceOver, setGraceOver] = useState(false);
  useEffect(() => {
    if (connection === 'live') setWasLive(true);
  }, [connection]);
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), FIRST_SYNC_GRACE_MS);
    return () => clearTimeout(timer);
  }, []);

  if (connection === 'live') return null;
  if (!loaded && connection !== 'offline') return null; // first load: the feed says "loading"
  if (connection === 'resyncing' && !wasLive && !graceOver) return null;

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
