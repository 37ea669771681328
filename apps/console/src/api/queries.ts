import { useQuery } from '@tanstack/react-query';
import type { UnitSummary } from '@frontline/contracts';
import { api, isUnauthorized } from './client';

/** Central query keys: one per resource, scoped by user so sessions never share a cache. */
export const queryKeys = {
  units: (username: string) => ['units', username] as const,
};

const byCode = (units: UnitSummary[]) => new Map(units.map((unit) => [unit.code, unit]));

/** The units of the caller's jurisdiction, by code (for names in the feed). */
export function useUnits(token: string, username: string) {
  return useQuery({
    queryKey: queryKeys.units(username),
    queryFn: ({ signal }) => api.units(token, signal),
    select: byCode,
    staleTime: 60 * 60 * 1000,
    retry: (failures, error) => !isUnauthorized(error) && failures < 5,
  });
}
