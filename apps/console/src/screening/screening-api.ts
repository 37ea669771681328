import type {
  ScreeningCoverageResponse,
  ScreeningProgramListResponse,
  ScreeningSitesMapResponse,
} from '@frontline/contracts';
import { request } from '../api/client';

/** The screening reads of the board (same-origin REST, the session's token). */
async function get<T>(path: string, token: string, signal?: AbortSignal): Promise<T> {
  return request<T>(`/screening${path}`, { token, signal });
}

const query = (unit: string, programId: string | null) =>
  `unit=${encodeURIComponent(unit)}${programId ? `&programId=${encodeURIComponent(programId)}` : ''}`;

export const screeningApi = {
  programs: (token: string, unit: string, signal?: AbortSignal) =>
    get<ScreeningProgramListResponse>(`/programs?unit=${encodeURIComponent(unit)}`, token, signal),
  coverage: (token: string, unit: string, programId: string | null, signal?: AbortSignal) =>
    get<ScreeningCoverageResponse>(`/coverage?${query(unit, programId)}`, token, signal),
  sites: (token: string, unit: string, programId: string | null, signal?: AbortSignal) =>
    get<ScreeningSitesMapResponse>(`/sites?${query(unit, programId)}`, token, signal),
};

export const screeningKeys = {
  all: (username: string) => ['screening', username] as const,
  programs: (username: string, unit: string) => ['screening', username, 'programs', unit] as const,
  coverage: (username: string, unit: string, programId: string | null) =>
    ['screening', username, 'coverage', unit, programId ?? 'all'] as const,
  sites: (username: string, unit: string, programId: string | null) =>
    ['screening', username, 'sites', unit, programId ?? 'all'] as const,
};

/** Events after which the board is read again: a result may cover a site; the check's alerts. */
export const SCREENING_EVENT_TYPES: ReadonlySet<string> = new Set([
  'test.resulted',
  'screening.due',
  'screening.overdue',
]);
