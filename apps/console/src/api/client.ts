import type {
  AcknowledgeResponse,
  ChildrenFiguresResponse,
  ConsoleConfigResponse,
  ErrorBody,
  EventDetailResponse,
  LoginRequest,
  LoginResponse,
  MapPointsResponse,
  SnapshotResponse,
  TrendResponse,
  UnitSummary,
  UnitsGeoJson,
} from '@frontline/contracts';

/** The REST API is same-origin: served by the api in production, proxied by Vite in development. */
const API_BASE = '/api/v1';
const REQUEST_TIMEOUT_MS = 15_000;

/** A non-2xx answer; `body` is the api's ErrorBody when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** 4xx other than 401/408/429: asking again will not help. */
export function isPermanent(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 408, 429].includes(error.status)
  );
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).statusCode === 'number' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  token?: string;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * One call to the same-origin REST API (`/api/v1` + `path`), with the session's token when
 * given: JSON in and out, a 15 s timeout, and an ApiError for any non-2xx answer. Every
 * feature's API module goes through it.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const response = await fetch(`${API_BASE}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    cache: 'no-store',
  });

  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, isErrorBody(parsed) ? parsed : null);
  return parsed as T;
}

export const api = {
  login: (credentials: LoginRequest) =>
    request<LoginResponse>('/auth/login', { method: 'POST', body: credentials }),

  units: (token: string, signal?: AbortSignal) =>
    request<UnitSummary[]>('/units', { token, signal }),

  snapshot: (token: string, unit: string, signal?: AbortSignal) =>
    request<SnapshotResponse>(`/snapshot?unit=${encodeURIComponent(unit)}`, { token, signal }),

  /** No login needed: read before the map is created. */
  consoleConfig: (signal?: AbortSignal) =>
    request<ConsoleConfigResponse>('/console-config', { signal }),

  unitsGeo: (token: string, root: string, signal?: AbortSignal) =>
    request<UnitsGeoJson>(`/units/geo?root=${encodeURIComponent(root)}`, { token, signal }),

  children: (token: string, unit: string, signal?: AbortSignal) =>
    request<ChildrenFiguresResponse>(`/units/${encodeURIComponent(unit)}/children`, {
      token,
      signal,
    }),

  trend: (token: string, unit: string, days: number, signal?: AbortSignal) =>
    request<TrendResponse>(`/trend?unit=${encodeURIComponent(unit)}&days=${days}`, {
      token,
      signal,
    }),

  mapPoints: (token: string, unit: string, signal?: AbortSignal) =>
    request<MapPointsResponse>(`/map/points?unit=${encodeURIComponent(unit)}`, { token, signal }),

  /** The full event; personal fields only for roles allowed (the read is audit-logged). */
  eventDetail: (token: string, id: string, signal?: AbortSignal) =>
    request<EventDetailResponse>(`/events/${encodeURIComponent(id)}`, { token, signal }),

  acknowledgeReport: (token: string, id: string, note?: string) =>
    request<AcknowledgeResponse>(`/reports/${encodeURIComponent(id)}/acknowledge`, {
      method: 'POST',
      token,
      body: note ? { note } : {},
    }),
};
