import type { LiveEvent } from '@frontline/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { LiveClient } from '../realtime/live-client';
import { CASE_EVENT_TYPES, casesKeys } from './cases-api';

/** Proposals, graphs and clusters follow case events at most this often. */
const REFRESH_MS = 1_000;
/** The case list may hold thousands of rows in pages: refreshed less often. */
const LIST_REFRESH_MS = 10_000;

/** Case ids an event names (its case, contact or source). */
export function caseIdsOf(event: LiveEvent): string[] {
  const p = event.payload as Record<string, unknown>;
  return ['caseId', 'contactId', 'sourceCaseId', 'indexCaseId']
    .map((k) => p[k])
    .filter((v): v is string => typeof v === 'string');
}

function throttled(run: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, ms);
  };
}

/**
 * The cases screen over the session's one socket: task events refresh the tasks of a case at
 * once (a new F0's tracing task appears live); case events refresh the proposals, the graphs and
 * clusters, the detail of the cases they name (each detail read with personal fields is
 * audited, so only those) and, less often, the list.
 */
export function useCasesLiveRefresh(client: LiveClient | null, username: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!client) return;
    const invalidate = (key: readonly unknown[]) =>
      void queryClient.invalidateQueries({ queryKey: key });
    const named = new Set<string>();
    const refresh = throttled(() => {
      invalidate(casesKeys.proposals(username));
      invalidate(casesKeys.chainAll(username));
      invalidate(casesKeys.clusters(username));
      for (const id of named) invalidate(casesKeys.detail(username, id));
      named.clear();
    }, REFRESH_MS);
    const refreshList = throttled(() => invalidate(casesKeys.lists(username)), LIST_REFRESH_MS);
    return client.subscribeEvents((events) =>
      onEvents(events, queryClient, username, named, refresh, refreshList),
    );
  }, [client, queryClient, username]);
}

function onEvents(
  events: readonly LiveEvent[],
  queryClient: QueryClient,
  username: string,
  named: Set<string>,
  refresh: () => void,
  refreshList: () => void,
): void {
  if (events.some((e) => e.type.startsWith('task.'))) {
    void queryClient.invalidateQueries({ queryKey: casesKeys.tasksAll(username) });
  }
  const caseEvents = events.filter((e) => CASE_EVENT_TYPES.has(e.type));
  if (!caseEvents.length) return;
  for (const e of caseEvents) for (const id of caseIdsOf(e)) named.add(id);
  refresh();
  refreshList();
}
