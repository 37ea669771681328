import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { UnitSummary } from '@frontline/contracts';
import { UnitTree } from '../lib/unit-tree';
import type { Session } from '../session/session';
import { api, isPermanent, isUnauthorized } from './client';
import { queryKeys } from './query-keys';

/** Who is asking: the token for the request, the username for the cache key. */
export interface Auth {
  token: string;
  username: string;
  home: string;
}

/** The session as the queries need it, stable while the session is the same. */
export function useAuth(session: Session): Auth {
  return useMemo(
    () => ({
      token: session.accessToken,
      username: session.user.username,
      home: session.user.unit.code,
    }),
    [session],
  );
}

/** Retry network and server errors a few times; never a refused token or a bad request. */
const retry = (failures: number, error: unknown) =>
  !isUnauthorized(error) && !isPermanent(error) && failures < 3;

/** GET /api/v1/console-config: the basemap, if the deployment has one (no login needed). */
export function useConsoleConfig() {
  return useQuery({
    queryKey: queryKeys.consoleConfig(),
    queryFn: ({ signal }) => api.consoleConfig(signal),
    staleTime: Infinity,
    retry: (failures) => failures < 1,
  });
}

/** The units of the caller's jurisdiction, as a tree (names, children, breadcrumbs). */
export function useUnits(auth: Auth) {
  return useQuery({
    queryKey: queryKeys.units(auth.username),
    queryFn: ({ signal }) => api.units(auth.token, signal),
    select: (units: UnitSummary[]) => new UnitTree(units, auth.home),
    staleTime: 60 * 60 * 1000,
    retry: (failures, error) => !isUnauthorized(error) && failures < 5,
  });
}

/** Geometry of `root` and the units below it (the project's own GeoJSON). */
export function useUnitsGeo(auth: Auth, root: string | null) {
  return useQuery({
    queryKey: queryKeys.unitsGeo(auth.username, root ?? ''),
    queryFn: ({ signal }) => api.unitsGeo(auth.token, root ?? '', signal),
    enabled: root !== null,
    staleTime: 60 * 60 * 1000,
    retry,
  });
}

/** Figures of each child of `unit`: map shading and the wall's rotation. Live events invalidate it. */
export function useChildrenFigures(auth: Auth, unit: string | null) {
  return useQuery({
    queryKey: queryKeys.children(auth.username, unit ?? ''),
    queryFn: ({ signal }) => api.children(auth.token, unit ?? '', signal),
    enabled: unit !== null,
    staleTime: 30_000,
    refetchInterval: 5 * 60_000,
    retry,
  });
}

export const TREND_DAYS = 14;

/** Daily figures of the last 14 days for the trend chart. */
export function useTrend(auth: Auth, unit: string | null) {
  return useQuery({
    queryKey: queryKeys.trend(auth.username, unit ?? '', TREND_DAYS),
    queryFn: ({ signal }) => api.trend(auth.token, unit ?? '', TREND_DAYS, signal),
    enabled: unit !== null,
    staleTime: 60_000,
    refetchInterval: 10 * 60_000,
    retry,
  });
}

/**
 * The points of the map layers for `unit` (columnar). Loaded once per unit; live events keep
 * the map current after that (map/point-store.ts), so it never goes stale by itself.
 */
/**
 * The unit's map points (GET /map/points), fetched and parsed by the point worker straight into
 * its store (`load`); the query holds only how many points came, and gives the loading, error,
 * retry and resync-invalidation behaviour of every other resource. Not cached: the worker's
 * store is reset on every unit change, so a unit seen again is loaded again.
 */
export function useMapPoints(
  auth: Auth,
  unit: string | null,
  load: (token: string, unit: string, signal: AbortSignal) => Promise<number>,
) {
  return useQuery({
    queryKey: queryKeys.mapPoints(auth.username, unit ?? ''),
    queryFn: ({ signal }) => load(auth.token, unit ?? '', signal),
    enabled: unit !== null,
    staleTime: 0,
    gcTime: 0,
    retry,
  });
}

/**
 * One event with its acknowledgement and, for roles allowed, its personal fields. Fetched only
 * when a user opens the event (each personal read is written to the audit log).
 */
export function useEventDetail(auth: Auth, id: string | null) {
  return useQuery({
    queryKey: queryKeys.eventDetail(auth.username, id ?? ''),
    queryFn: ({ signal }) => api.eventDetail(auth.token, id ?? '', signal),
    enabled: id !== null,
    staleTime: 0,
    gcTime: 0,
    retry,
  });
}

/** POST /api/v1/reports/:id/acknowledge; every console learns of it from the live event. */
export function useAcknowledgeReport(auth: Auth) {
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note?: string }) =>
      api.acknowledgeReport(auth.token, id, note),
  });
}
