import type {
  CaseDetail,
  CaseSummary,
  ChainResponse,
  Cluster,
  TaskView,
} from '@frontline/contracts';
import { request } from '../api/client';

/** The case and tracing reads of the console (same-origin REST, the session's token). */
async function call<T>(
  path: string,
  token: string,
  options: { method?: 'GET' | 'POST'; signal?: AbortSignal } = {},
): Promise<T> {
  return request<T>(path, { token, ...options });
}

/** Filters of the case list (all optional; the unit defaults to the user's jurisdiction). */
export interface CaseFilters {
  unit?: string;
  classification?: string;
  status?: string;
  cluster?: string;
  proposed?: 'true';
  from?: string;
  to?: string;
}

export const CASE_PAGE_SIZE = 200;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const casesApi = {
  list: (token: string, filters: CaseFilters, after: string | undefined, signal?: AbortSignal) =>
    call<CaseSummary[]>(`/cases${query({ ...filters, limit: CASE_PAGE_SIZE, after })}`, token, {
      signal,
    }),
  /** Personal fields only for roles allowed; the server writes the audit row. */
  detail: (token: string, id: string, signal?: AbortSignal) =>
    call<CaseDetail>(`/cases/${encodeURIComponent(id)}`, token, { signal }),
  confirm: (token: string, id: string) =>
    call<CaseSummary>(`/cases/${encodeURIComponent(id)}/confirm`, token, { method: 'POST' }),
  tasks: (token: string, caseId: string, signal?: AbortSignal) =>
    call<{ tasks: TaskView[] }>(`/dispatch/tasks${query({ caseId })}`, token, { signal }),
  chain: (
    token: string,
    id: string,
    depth: number,
    direction: ChainDirection,
    signal?: AbortSignal,
  ) =>
    call<ChainResponse>(
      `/cases/${encodeURIComponent(id)}/chain${query({ depth, direction })}`,
      token,
      { signal },
    ),
  clusters: (token: string, signal?: AbortSignal) =>
    call<Cluster[]>('/clusters', token, { signal }),
};

export type ChainDirection = 'up' | 'down' | 'both';

/** Query keys of this screen: every key starts with 'cases' and the username. */
export const casesKeys = {
  all: (username: string) => ['cases', username] as const,
  lists: (username: string) => ['cases', username, 'list'] as const,
  list: (username: string, filters: CaseFilters) => ['cases', username, 'list', filters] as const,
  proposals: (username: string) => ['cases', username, 'proposals'] as const,
  detail: (username: string, id: string) => ['cases', username, 'detail', id] as const,
  tasksAll: (username: string) => ['cases', username, 'tasks'] as const,
  tasks: (username: string, id: string) => ['cases', username, 'tasks', id] as const,
  chainAll: (username: string) => ['cases', username, 'chain'] as const,
  chain: (username: string, id: string, depth: number, direction: ChainDirection) =>
    ['cases', username, 'chain', id, depth, direction] as const,
  clusters: (username: string) => ['cases', username, 'clusters'] as const,
};

/** Live events that change cases, their graph or clusters: the screen's case queries are refreshed. */
export const CASE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'case.confirmed',
  'case.proposed',
  'case.status-changed',
  'case.reclassified',
  'case.released',
  'contact.identified',
  'cluster.detected',
  'test.resulted',
]);
