import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { FeedEvent, OpenReportsResponse, TaskView, TeamView } from '@frontline/contracts';
import type { LiveClient } from '../realtime/live-client';
import { applyEvents, BOARD_EVENT_TYPES } from './board-state';
import type { Board } from './board-state';
import { dispatchApi, dispatchKeys } from './dispatch-api';

/** Live batches reach the board at most this often: a storm of events is one render. */
const FLUSH_MS = 300;
/** After the last board event, the REST reads are refreshed once (exact places, duplicate hints). */
const SETTLE_MS = 4000;
const REFRESH_MS = 60_000;

interface Who {
  token: string;
  username: string;
}

/** The board's REST reads, kept current by the live feed (one socket, `client`). */
export function useBoard(who: Who, unit: string, client: LiveClient | null) {
  const queryClient = useQueryClient();
  const reports = useQuery({
    queryKey: dispatchKeys.reports(who.username, unit),
    queryFn: ({ signal }) => dispatchApi.reports(who.token, unit, signal),
    refetchInterval: REFRESH_MS,
  });
  const tasks = useQuery({
    queryKey: dispatchKeys.tasks(who.username, unit),
    queryFn: ({ signal }) => dispatchApi.tasks(who.token, unit, signal),
    refetchInterval: REFRESH_MS,
  });
  const teams = useQuery({
    queryKey: dispatchKeys.teams(who.username, unit),
    queryFn: ({ signal }) => dispatchApi.teams(who.token, unit, signal),
    refetchInterval: REFRESH_MS,
  });

  useEffect(() => {
    if (!client) return;
    let pending: FeedEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      applyToCache(queryClient, who.username, unit, batch);
      clearTimeout(settleTimer);
      settleTimer = setTimeout(
        () => void queryClient.invalidateQueries({ queryKey: dispatchKeys.all(who.username) }),
        SETTLE_MS,
      );
    };
    const unsubscribe = client.subscribeEvents((events) => {
      const relevant = events.filter((e) => BOARD_EVENT_TYPES.has(e.type));
      if (!relevant.length) return;
      pending.push(...relevant);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(flushTimer);
      clearTimeout(settleTimer);
    };
  }, [client, queryClient, who.username, unit]);

  const board = useMemo<Board | null>(
    () =>
      reports.data && tasks.data && teams.data
        ? { reports: reports.data.reports, tasks: tasks.data.tasks, teams: teams.data.teams }
        : null,
    [reports.data, tasks.data, teams.data],
  );
  return {
    board,
    isError: reports.isError || tasks.isError || teams.isError,
    updatedAt: Math.max(reports.dataUpdatedAt, tasks.dataUpdatedAt, teams.dataUpdatedAt),
  };
}

/** One write per resource for a whole batch. */
function applyToCache(
  queryClient: QueryClient,
  username: string,
  unit: string,
  events: readonly FeedEvent[],
): void {
  const reportsKey = dispatchKeys.reports(username, unit);
  const tasksKey = dispatchKeys.tasks(username, unit);
  const teamsKey = dispatchKeys.teams(username, unit);
  const reports = queryClient.getQueryData<OpenReportsResponse>(reportsKey);
  const tasks = queryClient.getQueryData<{ tasks: TaskView[] }>(tasksKey);
  const teams = queryClient.getQueryData<{ teams: TeamView[] }>(teamsKey);
  if (!reports || !tasks || !teams) return; // not loaded yet: the first read has them
  const before: Board = { reports: reports.reports, tasks: tasks.tasks, teams: teams.teams };
  const after = applyEvents(before, events, unit);
  if (after.reports !== before.reports)
    queryClient.setQueryData(reportsKey, { ...reports, reports: after.reports });
  if (after.tasks !== before.tasks) queryClient.setQueryData(tasksKey, { tasks: after.tasks });
  if (after.teams !== before.teams) queryClient.setQueryData(teamsKey, { teams: after.teams });
}
