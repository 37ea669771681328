import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { initialLiveState } from './feed-state';
import type { LiveState } from './feed-state';
import { LiveClient } from './live-client';
import type { Auth } from '../api/queries';

const noSubscription = () => () => undefined;

export interface LiveFeed {
  live: LiveState;
  /** Null until the client is created (first render). */
  client: LiveClient | null;
}

/**
 * The live state of `unit` for this session: one LiveClient (one socket) per token, whatever
 * unit is in view; `unit` null waits (the jurisdiction is still loading).
 */
export function useLiveFeed(
  token: string,
  username: string,
  home: string,
  unit: string | null,
  onUnauthorized: () => void,
): LiveFeed {
  const queryClient = useQueryClient();
  const onUnauthorizedRef = useRef(onUnauthorized);
  useEffect(() => {
    onUnauthorizedRef.current = onUnauthorized;
  }, [onUnauthorized]);

  const [client, setClient] = useState<LiveClient | null>(null);
  const ready = unit !== null;
  const unitRef = useRef(unit);
  unitRef.current = unit;

  useEffect(() => {
    if (!ready || unitRef.current === null) return;
    const next = new LiveClient({
      token,
      username,
      home,
      unit: unitRef.current,
      queryClient,
      onUnauthorized: () => onUnauthorizedRef.current(),
    });
    setClient(next);
    next.start();
    return () => next.stop();
  }, [token, username, home, ready, queryClient]);

  useEffect(() => {
    if (client && unit !== null) client.setUnit(unit);
  }, [client, unit]);

  const [fallback] = useState(() => initialLiveState(unit ?? ''));
  const live = useSyncExternalStore(
    client ? client.subscribe : noSubscription,
    client ? client.getState : () => fallback,
  );
  return { live, client };
}

/** The live state of the user's whole jurisdiction (screens without a unit in view). */
export function useHomeLiveFeed(auth: Auth, onUnauthorized: () => void): LiveFeed {
  return useLiveFeed(auth.token, auth.username, auth.home, auth.home, onUnauthorized);
}
