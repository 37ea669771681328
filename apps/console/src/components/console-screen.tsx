import { useEffect } from 'react';
import { isUnauthorized } from '../api/client';
import { useUnits } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { useLiveFeed } from '../realtime/use-live-feed';
import type { Session } from '../session/session';
import { Counters } from './counters';
import { FeedPanel } from './feed-panel';
import { Header } from './header';
import { MapPlaceholder } from './map-placeholder';
import { StaleBanner } from './stale-banner';

interface Props {
  session: Session;
  onLogout: () => void;
  /** The server refused the token: the session has expired or was revoked. */
  onUnauthorized: () => void;
}

export function ConsoleScreen({ session, onLogout, onUnauthorized }: Props) {
  const { t } = useI18n();
  const { accessToken, user } = session;
  const live = useLiveFeed(accessToken, user.unit.code, onUnauthorized);
  const units = useUnits(accessToken, user.username);

  useEffect(() => {
    if (isUnauthorized(units.error)) onUnauthorized();
  }, [units.error, onUnauthorized]);

  return (
    <div className="console">
      <a className="skip-link" href="#feed">
        {t('app.skipToFeed')}
      </a>
      <Header session={session} live={live} onLogout={onLogout} />
      <StaleBanner live={live} />
      <Counters live={live} />
      <main className="workspace">
        <MapPlaceholder />
        <FeedPanel items={live.items} loaded={live.loaded} units={units.data} />
      </main>
    </div>
  );
}
