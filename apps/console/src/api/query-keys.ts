/**
 * Central query keys: one per resource. Every key starts with the resource name and the
 * username, so two sessions never share a cache entry and the realtime module can invalidate
 * a whole resource (`queryKeys.childrenAll(user)`) when live events change it.
 */
export const queryKeys = {
  consoleConfig: () => ['console-config'] as const,
  units: (username: string) => ['units', username] as const,
  unitsGeo: (username: string, root: string) => ['units-geo', username, root] as const,
  childrenAll: (username: string) => ['children', username] as const,
  children: (username: string, unit: string) => ['children', username, unit] as const,
  trendAll: (username: string) => ['trend', username] as const,
  trend: (username: string, unit: string, days: number) => ['trend', username, unit, days] as const,
  mapPointsAll: (username: string) => ['map-points', username] as const,
  mapPoints: (username: string, unit: string) => ['map-points', username, unit] as const,
  eventDetail: (username: string, id: string) => ['event-detail', username, id] as const,
};
