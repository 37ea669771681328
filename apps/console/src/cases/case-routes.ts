/**
 * The paths of the cases screen (routes in shell/router.tsx):
 *   /cases               case list and the F0 proposals waiting for the duty officer
 *   /cases/clusters      clusters of the jurisdiction
 *   /cases/:id           one case
 *   /cases/:id/graph     the tracing graph around it (?depth=1..10&direction=up|down|both)
 */
export const CASES_PATH = '/cases';

export type CasesRoute =
  | { view: 'list' }
  | { view: 'clusters' }
  | { view: 'detail'; id: string }
  | { view: 'graph'; id: string; depth: number; direction: 'up' | 'down' | 'both' };

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const DETAIL = new RegExp(`^/cases/(${UUID})(/graph)?$`);

export const DEFAULT_GRAPH_DEPTH = 2;

export function isCasesPath(pathname: string): boolean {
  const path = pathname.replace(/\/+$/, '');
  return path === CASES_PATH || path.startsWith(`${CASES_PATH}/`);
}

export function parseCasesRoute(pathname: string, search: string): CasesRoute {
  const path = pathname.replace(/\/+$/, '');
  if (path === `${CASES_PATH}/clusters`) return { view: 'clusters' };
  const match = DETAIL.exec(path);
  if (!match) return { view: 'list' };
  const id = match[1].toLowerCase();
  if (!match[2]) return { view: 'detail', id };
  const params = new URLSearchParams(search);
  const depth = Number(params.get('depth'));
  const direction = params.get('direction');
  return {
    view: 'graph',
    id,
    depth: Number.isInteger(depth) && depth >= 1 && depth <= 10 ? depth : DEFAULT_GRAPH_DEPTH,
    direction: direction === 'up' || direction === 'down' ? direction : 'both',
  };
}

export function casesHref(route: CasesRoute): string {
  switch (route.view) {
    case 'list':
      return CASES_PATH;
    case 'clusters':
      return `${CASES_PATH}/clusters`;
    case 'detail':
      return `${CASES_PATH}/${route.id}`;
    case 'graph':
      return `${CASES_PATH}/${route.id}/graph?depth=${route.depth}&direction=${route.direction}`;
  }
}
