import { useMatch } from '@tanstack/react-router';
import { useMemo } from 'react';
import { stringifySearch } from './search-params';

/**
 * The path and search of the route this screen was matched for. Not the router's current
 * location: while the router leaves for another screen, the outgoing one renders once more
 * and must not read the next screen's address as its own (it would load a list for it, or
 * write its own state back into the URL).
 */
export function useRouteLocation(): { pathname: string; search: string } {
  const pathname = useMatch({ strict: false, select: (match) => match.pathname });
  const search = useMatch({ strict: false, select: (match) => match.search });
  return useMemo(
    () => ({ pathname, search: stringifySearch(search as Record<string, unknown>) }),
    [pathname, search],
  );
}
