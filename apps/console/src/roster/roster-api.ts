import type { CoverageGapsResponse, OnDutyResponse } from '@frontline/contracts';
import { request } from '../api/client';

/** The roster reads of the console (same-origin REST, the session's token). */
async function get<T>(path: string, token: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { token, signal });
}

export const rosterApi = {
  onDuty: (token: string, unit: string, at: string | null, signal?: AbortSignal) =>
    get<OnDutyResponse>(
      `/roster/on-duty?unit=${encodeURIComponent(unit)}${at ? `&at=${encodeURIComponent(at)}` : ''}`,
      token,
      signal,
    ),
  gaps: (token: string, unit: string, signal?: AbortSignal) =>
    get<CoverageGapsResponse>(
      `/roster/gaps?unit=${encodeURIComponent(unit)}&days=14`,
      token,
      signal,
    ),
};

export const rosterKeys = {
  all: (username: string) => ['roster', username] as const,
  onDuty: (username: string, unit: string, at: string | null) =>
    ['roster', username, 'on-duty', unit, at ?? 'now'] as const,
  gaps: (username: string, unit: string) => ['roster', username, 'gaps', unit] as const,
};

/** Roster events: the roster view's queries are refreshed when one arrives. */
export const ROSTER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'roster.changed',
  'coverage.gap-detected',
  'coverage.gap-closed',
  'shift.checked-in',
  'shift.handed-over',
]);
