import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { lazy } from 'react';
import { parseSearch, stringifySearch } from './search-params';
import { loadConsoleScreen } from './preload';
import { SessionShell, useSession } from './session-shell';

/**
 * The console's routes. The root is the session shell (sign-in, then one socket and one alarm
 * for the whole session); each screen is a route under it, so moving between them is a
 * client-side navigation. A screen's own state (unit, layers, filters, the record opened) is
 * in its path and search, parsed by the screen's typed parser (views/url-state.ts,
 * cases/case-routes.ts...) and written back through the router, never through `history`.
 */
// Each screen is its own chunk: the sign-in page loads none of them (the shell's Suspense
// waits for the one opened). The map desk's is asked for at sign-in (session-shell.tsx).
const ConsoleScreen = lazy(() =>
  loadConsoleScreen().then((module) => ({ default: module.ConsoleScreen })),
);
const CasesScreen = lazy(() =>
  import('../cases/cases-screen').then((module) => ({ default: module.CasesScreen })),
);
const DispatchScreen = lazy(() =>
  import('../dispatch/dispatch-screen').then((module) => ({ default: module.DispatchScreen })),
);
const LabUploadScreen = lazy(() =>
  import('../lab/lab-upload-screen').then((module) => ({ default: module.LabUploadScreen })),
);
const RosterScreen = lazy(() =>
  import('../roster/roster-screen').then((module) => ({ default: module.RosterScreen })),
);
const ScreeningScreen = lazy(() =>
  import('../screening/screening-screen').then((module) => ({ default: module.ScreeningScreen })),
);

const rootRoute = createRootRoute({ component: SessionShell });

/** The map desk, and the wall (`/wall`), from the same view parameters. */
function Situation() {
  const { session, logout, expire } = useSession();
  return <ConsoleScreen session={session} onLogout={logout} onUnauthorized={expire} />;
}

function Cases() {
  return <CasesScreen session={useSession().session} />;
}

function Dispatch() {
  return <DispatchScreen session={useSession().session} />;
}

function Lab() {
  const { session, expire } = useSession();
  return <LabUploadScreen session={session} onUnauthorized={expire} />;
}

function Screening() {
  return <ScreeningScreen session={useSession().session} />;
}

function Roster() {
  return <RosterScreen session={useSession().session} />;
}

const screen = <TPath extends string>(path: TPath, component: () => React.ReactNode) =>
  createRoute({ getParentRoute: () => rootRoute, path, component });

const UNIT_CODE = /^[A-Za-z0-9_-]{1,32}$/;
const UUID = /^[0-9a-fA-F-]{36}$/;
const text = (value: unknown, pattern: RegExp): string | undefined =>
  typeof value === 'string' && pattern.test(value) ? value : undefined;

/** /roster?unit=CODE */
const rosterRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/roster',
  component: Roster,
  validateSearch: (raw: Record<string, unknown>): { unit?: string } => ({
    unit: text(raw.unit, UNIT_CODE),
  }),
});

/** /screening?unit=CODE&program=ID */
const screeningRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/screening',
  component: Screening,
  validateSearch: (raw: Record<string, unknown>): { unit?: string; program?: string } => ({
    unit: text(raw.unit, UNIT_CODE),
    program: text(raw.program, UUID),
  }),
});

const routeTree = rootRoute.addChildren([
  screen('/', Situation),
  screen('/wall', Situation),
  screen('/cases', Cases),
  screen('/cases/$', Cases),
  screen('/dispatch', Dispatch),
  screen('/dispatch/$', Dispatch),
  screen('/lab', Lab),
  screeningRoute,
  rosterRoute,
  // Any other address shows the desk (as the console always did).
  screen('$', Situation),
]);

export const router = createRouter({ routeTree, parseSearch, stringifySearch });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
