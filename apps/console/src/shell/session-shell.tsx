import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import {
  Suspense,
  createContext,
  lazy,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { isUnauthorized } from '../api/client';
import { useConsoleConfig } from '../api/queries';
import { LoginScreen } from '../components/login-screen';
import { dropPreloadedMap, preloadMapView } from '../map/preload';
import type { MessageKey } from '../i18n/messages';
import { setTimeZone } from '../lib/time';
import {
  SESSION_STORAGE_KEY,
  clearSession,
  loadSession,
  parseStoredSession,
  saveSession,
} from '../session/session';
import type { Session } from '../session/session';
import { parseView } from '../views/url-state';
import { loadConsoleScreen, loadPointStore } from './preload';
import { opensMapConsole } from './screens';

export interface SessionHandle {
  session: Session;
  logout: () => void;
  /** The server refused the token: the session has expired or was revoked. */
  expire: () => void;
}

/** The field team's phone page: its own chunk, never loaded by the operations console. */
const FieldScreen = lazy(() =>
  import('../field/field-screen').then((module) => ({ default: module.FieldScreen })),
);

/** Everything once signed in (the socket's client among it): not part of the sign-in page. */
const SignedIn = lazy(() => import('./signed-in').then((module) => ({ default: module.SignedIn })));

const SessionContext = createContext<SessionHandle | null>(null);

/** The signed-in session, for the screens (they only render inside the shell once signed in). */
export function useSession(): SessionHandle {
  const handle = useContext(SessionContext);
  if (!handle) throw new Error('useSession outside the session shell');
  return handle;
}

/**
 * The root of every route: the sign-in screen until there is a session, then the screens in
 * the one session that outlives them (its socket, its snapshot cache, its alarm).
 */
export function SessionShell() {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  // The deployment's time zone (console-config) before anything with a date is drawn.
  const config = useConsoleConfig();
  const zone = config.data?.timeZone;

  const endSession = useCallback(
    (notice: MessageKey | null) => {
      clearSession();
      queryClient.clear();
      setSession(null);
      setNotice(notice);
    },
    [queryClient],
  );
  const logout = useCallback(() => endSession(null), [endSession]);
  const expire = useCallback(() => endSession('login.expired'), [endSession]);

  const login = useCallback(
    (next: Session) => {
      const location = router.state.location;
      // The map's points (the console's biggest read) are fetched while the console renders.
      if (opensMapConsole(location.pathname, next.user.role)) {
        void loadConsoleScreen();
        const view = parseView({ pathname: location.pathname, search: location.searchStr });
        void loadPointStore().then((store) =>
          store.prefetchPointBase(next.accessToken, view.unit ?? next.user.unit.code),
        );
      } else dropPreloadedMap();
      saveSession(next);
      setNotice(null);
      setSession(next);
    },
    [router],
  );

  // Signing in or out in another tab does the same here.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_STORAGE_KEY || event.key === null) {
        setSession(parseStoredSession(event.newValue));
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  // Signing in to the map console: its point worker and its map load while the user types,
  // and the map draws its layers once out of sight (not for the wall, which has its own map).
  const configReady = !config.isPending;
  const basemapStyleUrl = config.data?.basemapStyleUrl ?? null;
  useEffect(() => {
    const location = router.state.location;
    if (session || !configReady || !opensMapConsole(location.pathname)) return;
    // Right after the sign-in form is up (its effects ran first): the form's own script is in.
    void loadPointStore().then((store) => store.prewarmPointWorker());
    void loadConsoleScreen();
    const view = parseView({ pathname: location.pathname, search: location.searchStr });
    preloadMapView(
      view.wall ? undefined : { basemapStyleUrl, measure: view.shade, mode: view.mode },
    );
  }, [session, configReady, basemapStyleUrl, router]);

  // Any REST resource refused with 401: the token has expired or was revoked.
  useEffect(() => {
    if (!session) return;
    return queryClient.getQueryCache().subscribe((event) => {
      if (
        event.type === 'updated' &&
        event.action.type === 'error' &&
        isUnauthorized(event.action.error)
      ) {
        expire();
      }
    });
  }, [queryClient, session, expire]);

  const handle = useMemo(
    () => (session ? { session, logout, expire } : null),
    [session, logout, expire],
  );

  // One small same-origin request; a failed one keeps the default zone (Asia/Ho_Chi_Minh).
  if (config.isPending) return null;
  setTimeZone(zone);
  if (!handle) return <LoginScreen notice={notice} onLoggedIn={login} />;
  // A field-team member lands on the phone page, whatever address they opened.
  if (handle.session.user.role === 'field-team')
    return (
      <Suspense fallback={null}>
        <FieldScreen
          key={handle.session.accessToken}
          session={handle.session}
          onLogout={logout}
          onUnauthorized={expire}
        />
      </Suspense>
    );
  return (
    <SessionContext.Provider value={handle}>
      <Suspense fallback={null}>
        <SignedIn key={`${handle.session.user.username}:${handle.session.accessToken}`} />
      </Suspense>
    </SessionContext.Provider>
  );
}
