import type {
  CreateTaskRequest,
  DuplicatesResponse,
  EventInput,
  IngestResponse,
  NearestTeamsResponse,
  OpenReportsResponse,
  ReportTimelineResponse,
  ResponseTimesResponse,
  TaskActionResponse,
  TaskTimelineResponse,
  TaskView,
  TeamView,
} from '@frontline/contracts';
import { request } from '../api/client';

/** The dispatch board's REST calls (same origin, the session's token). */
async function call<T>(
  path: string,
  token: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  return request<T>(path, { token, ...init });
}

const q = encodeURIComponent;

export const dispatchApi = {
  reports: (token: string, unit: string, signal?: AbortSignal) =>
    call<OpenReportsResponse>(`/dispatch/reports?unit=${q(unit)}`, token, { signal }),
  tasks: (token: string, unit: string, signal?: AbortSignal) =>
    call<{ tasks: TaskView[] }>(`/dispatch/tasks?unit=${q(unit)}&open=true`, token, { signal }),
  teams: (token: string, unit: string, signal?: AbortSignal) =>
    call<{ teams: TeamView[] }>(`/dispatch/teams?unit=${q(unit)}`, token, { signal }),
  nearest: (token: string, taskId: string, signal?: AbortSignal) =>
    call<NearestTeamsResponse>(`/dispatch/tasks/${q(taskId)}/nearest-teams?limit=5`, token, {
      signal,
    }),
  /** A call taken by the officer: a `report.received` through the normal ingest path. */
  receiveCall: (token: string, event: EventInput) =>
    call<IngestResponse>('/events', token, { method: 'POST', body: { events: [event] } }),
  triage: (token: string, reportId: string, priority: CreateTaskRequest['priority']) =>
    call<unknown>(`/dispatch/reports/${q(reportId)}/triage`, token, {
      method: 'POST',
      body: { priority },
    }),
  close: (token: string, reportId: string, reason: string) =>
    call<unknown>(`/dispatch/reports/${q(reportId)}/close`, token, {
      method: 'POST',
      body: { reason, clientActionId: `close-${crypto.randomUUID()}` },
    }),
  duplicates: (token: string, reportId: string, signal?: AbortSignal) =>
    call<DuplicatesResponse>(`/dispatch/reports/${q(reportId)}/duplicates`, token, { signal }),
  merge: (token: string, reportId: string, intoReportId: string) =>
    call<unknown>(`/dispatch/reports/${q(reportId)}/merge`, token, {
      method: 'POST',
      body: { intoReportId, clientActionId: `merge-${crypto.randomUUID()}` },
    }),
  createTask: (token: string, request: CreateTaskRequest) =>
    call<TaskActionResponse>('/dispatch/tasks', token, { method: 'POST', body: request }),
  assign: (token: string, taskId: string, teamId: string, clientActionId: string) =>
    call<TaskActionResponse>(`/dispatch/tasks/${q(taskId)}/assign`, token, {
      method: 'POST',
      body: { teamId, clientActionId },
    }),
  taskTimeline: (token: string, id: string, signal?: AbortSignal) =>
    call<TaskTimelineResponse>(`/dispatch/tasks/${q(id)}/timeline`, token, { signal }),
  reportTimeline: (token: string, id: string, signal?: AbortSignal) =>
    call<ReportTimelineResponse>(`/dispatch/reports/${q(id)}/timeline`, token, { signal }),
  responseTimes: (token: string, unit: string, signal?: AbortSignal) =>
    call<ResponseTimesResponse>(`/dispatch/response-times?unit=${q(unit)}`, token, { signal }),
};

/** Query keys of the board: resource, username, unit. */
export const dispatchKeys = {
  all: (username: string) => ['dispatch', username] as const,
  reports: (username: string, unit: string) => ['dispatch', username, 'reports', unit] as const,
  tasks: (username: string, unit: string) => ['dispatch', username, 'tasks', unit] as const,
  teams: (username: string, unit: string) => ['dispatch', username, 'teams', unit] as const,
  nearest: (username: string, taskId: string) => ['dispatch', username, 'nearest', taskId] as const,
  timeline: (username: string, kind: string, id: string) =>
    ['dispatch', username, 'timeline', kind, id] as const,
  responseTimes: (username: string, unit: string) =>
    ['dispatch', username, 'response-times', unit] as const,
};
