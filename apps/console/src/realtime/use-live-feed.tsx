import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { ReactNode } from 'react';
import type { LiveState } from './feed-state';
import { LiveClient } from './live-client';
import type { Auth } from '../api/queries';

export interface LiveFeed {
  live: LiveState;
  client: LiveClient;
}

const LiveSessionContext = createContext<LiveClient | null>(null);

/**
 * The session's one LiveClient (one socket, one cursor), held by the shell for as long as the
 * session lasts: moving between screens keeps it. It connects when the first screen asks for
 * a unit (a field-team session, which has its own feed, never starts it).
 */
export function LiveSessionProvider({
  auth,
  onUnauthorized,
  children,
}: {
  auth: Auth;
  onUnauthorized: () => void;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const onUnauthorizedRef = useRef(onUnauthorized);
  useEffect(() => {
    onUnauthorizedRef.current = onUnauthorized;
  }, [onUnauthorized]);
  const [client] = useState(
    () =>
      new LiveClient({
        token: auth.token,
        username: auth.username,
        home: auth.home,
        unit: auth.home,
        queryClient,
        onUnauthorized: () => onUnauthorizedRef.current(),
      }),
  );
  useEffect(() => () => client.stop(), [client]);
  return <LiveSessionContext.Provider value={client}>{children}</LiveSessionContext.Provider>;
}

/** The session's LiveClient, started or not (the alarm listens to it from the first event). */
export function useLiveClient(): LiveClient {
  const client = useContext(LiveSessionContext);
  if (!client) throw new Error('useLiveClient outside the session shell');
  return client;
}

/**
 * The live state of `unit` on the session's socket: showing another unit loads its snapshot,
 * the socket stays. `unit` null waits (the jurisdiction is still loading).
 */
export function useLiveFeed(unit: string | null): LiveFeed {
  const client = useLiveClient();
  useEffect(() => {
    if (unit === null) return;
    client.setUnit(unit);
    client.start();
  }, [client, unit]);
  const live = useSyncExternalStore(client.subscribe, client.getState);
  return { live, client };
}

/** The live state of the user's whole jurisdiction (screens without a unit in view). */
export function useHomeLiveFeed(auth: Auth): LiveFeed {
  return useLiveFeed(auth.home);
}
