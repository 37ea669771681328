import { Outlet, useRouterState } from '@tanstack/react-router';
import { Suspense, useEffect } from 'react';
import { alarm } from '../alerts/alarm';
import { useAuth } from '../api/queries';
import { isUrgentReport } from '../realtime/feed-state';
import { LiveSessionProvider, useLiveClient } from '../realtime/use-live-feed';
import { useSession } from './session-shell';
import { UrgentBanner } from './urgent-banner';

/** One live session per token: the screens come and go inside it. */
export function SignedIn() {
  const { session, expire } = useSession();
  const auth = useAuth(session);
  return (
    <LiveSessionProvider auth={auth} onUnauthorized={expire}>
      <SessionAlarm />
      <UrgentBanner />
      {/* Each screen is a chunk of its own, fetched the first time it is opened. */}
      <Suspense fallback={null}>
        <Outlet />
      </Suspense>
    </LiveSessionProvider>
  );
}

/**
 * New urgent reports anywhere in the jurisdiction ring, on every screen: the socket carries
 * the whole jurisdiction whatever the screen shows. Drill reports ring only in drill mode.
 */
function SessionAlarm() {
  const client = useLiveClient();
  const drill = useRouterState({
    select: (state) => new URLSearchParams(state.location.searchStr).get('drill') === '1',
  });
  // Browsers allow sound only after a gesture: the first click or key after a reload allows it.
  useEffect(() => {
    const unlock = () => alarm.unlock();
    document.addEventListener('pointerdown', unlock, { once: true });
    document.addEventListener('keydown', unlock, { once: true });
    return () => {
      document.removeEventListener('pointerdown', unlock);
      document.removeEventListener('keydown', unlock);
    };
  }, []);
  useEffect(
    () =>
      client.subscribeEvents((events) => {
        if (events.some((event) => isUrgentReport(event) && (drill || !event.drill))) alarm.ring();
      }),
    [client, drill],
  );
  return null;
}
