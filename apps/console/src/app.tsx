import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { isUnauthorized } from './api/client';
import { useConsoleConfig } from './api/queries';
import { ConsoleScreen } from './components/console-screen';
import { LoginScreen } from './components/login-screen';
import { dropPreloadedMap, preloadMapView } from './components/map-panel';
import { FIELD_PATH, FieldScreen } from './field/field-screen';
import type { MessageKey } from './i18n/messages';
import { LabUploadScreen, isLabPath } from './lab/lab-upload-screen';
import { DispatchScreen, isDispatchPath } from './dispatch/dispatch-screen';
import { RosterScreen, isRosterPath } from './roster/roster-screen';
import { ScreeningScreen, isScreeningPath } from './screening/screening-screen';
import { CasesScreen, isCasesPath } from './cases/cases-screen';
import {
  SESSION_STORAGE_KEY,
  clearSession,
  loadSession,
  parseStoredSession,
  saveSession,
} from './session/session';
import type { Session } from './session/session';
import { setTimeZone } from './lib/time';
import { prefetchPointBase, prewarmPointWorker } from './map/point-store-client';
import { parseView } from './views/url-state';

/** Whether signing in at `path` (as `role`, once known) opens the map console. */
function opensMapConsole(path: string, role?: Session['user']['role']): boolean {
  if (role === 'field-team' || path.startsWith(FIELD_PATH)) return false;
  return ![isRosterPath, isLabPath, isScreeningPath, isDispatchPath, isCasesPath].some((is) =>
    is(path),
  );
}

export function App() {
  const queryClient = useQueryClient();
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

  const login = useCallback((next: Session) => {
    // The map's points (the console's biggest read) are fetched while the console renders.
    if (opensMapConsole(window.location.pathname, next.user.role))
      prefetchPointBase(next.accessToken, parseView(window.location).unit ?? next.user.unit.code);
    else dropPreloadedMap();
    saveSession(next);
    setNotice(null);
    setSession(next);
  }, []);

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
    if (session || !configReady || !opensMapConsole(window.location.pathname)) return;
    prewarmPointWorker();
    const view = parseView(window.location);
    preloadMapView(
      view.wall ? undefined : { basemapStyleUrl, measure: view.shade, mode: view.mode },
    );
  }, [session, configReady, basemapStyleUrl]);

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

  // One small same-origin request; a failed one keeps the default zone (Asia/Ho_Chi_Minh).
  if (config.isPending) return null;
  setTimeZone(zone);
  if (!session) return <LoginScreen notice={notice} onLoggedIn={login} />;
  // A field-team member lands on the phone page, whatever address they opened.
  if (session.user.role === 'field-team')
    return (
      <FieldScreen
        key={session.accessToken}
        session={session}
        onLogout={logout}
        onUnauthorized={expire}
      />
    );
  if (isRosterPath(window.location.pathname))
    return <RosterScreen key={session.accessToken} session={session} onUnauthorized={expire} />;
  if (isLabPath(window.location.pathname))
    return <LabUploadScreen key={session.accessToken} session={session} onUnauthorized={expire} />;
  if (isScreeningPath(window.location.pathname))
    return <ScreeningScreen key={session.accessToken} session={session} onUnauthorized={expire} />;
  if (isDispatchPath(window.location.pathname))
    return <DispatchScreen key={session.accessToken} session={session} onUnauthorized={expire} />;
  if (isCasesPath(window.location.pathname))
    return <CasesScreen key={session.accessToken} session={session} onUnauthorized={expire} />;
  return (
    <ConsoleScreen
      key={`${session.user.username}:${session.accessToken}`}
      session={session}
      onLogout={logout}
      onUnauthorized={expire}
    />
  );
}
