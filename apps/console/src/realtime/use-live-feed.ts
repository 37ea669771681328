import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { INITIAL_LIVE_STATE } from './feed-state';
import type { LiveState } from './feed-state';
import { LiveClient } from './live-client';

const noSubscription = () => () => undefined;
const initialState = () => INITIAL_LIVE_STATE;

/** The live state of `unit` for this session; one LiveClient per token and unit. */
export function useLiveFeed(token: string, unit: string, onUnauthorized: () => void): LiveState {
  const onUnauthorizedRef = useRef(onUnauthorized);
  useEffect(() => {
    onUnauthorizedRef.current = onUnauthorized;
  }, [onUnauthorized]);

  const [client, setClient] = useState<LiveClient | null>(null);
  useEffect(() => {
    const next = new LiveClient({ token, unit, onUnauthorized: () => onUnauthorizedRef.current() });
    setClient(next);
    next.start();
    return () => next.stop();
  }, [token, unit]);

  return useSyncExternalStore(
    client ? client.subscribe : noSubscription,
    client ? client.getState : initialState,
  );
}
