import type {
  ErrorBody,
  EventInput,
  IngestResponse,
  LoginResponse,
  SnapshotResponse,
  UnitSummary,
} from '@frontline/contracts';

/**
 * The API answered 4xx (other than 401/408/409/429, and the 404 of a source case not registered
 * yet): the request is wrong, retrying cannot help.
 */
export class RejectedError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | string,
  ) {
    super(`HTTP ${status}: ${typeof body === 'string' ? body.slice(0, 500) : body.message}`);
  }
}

/** 401: the token is missing or expired; log in again and retry. */
export class UnauthorizedError extends Error {}

/**
 * Network error, timeout, 5xx, 408, 409 or 429: worth retrying (the API is idempotent by event id).
 * 404 naming a `sourceCaseId`: a contact names a case the registry does not hold yet, because the
 * request carrying it is still in flight; once that one commits, the same batch goes in. (The API
 * answers an unknown case and another district's case alike, so it cannot say "not yet".)
 */
export class TransientError extends Error {}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'request timed out';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${err.message} (${detail})` : err.message;
}

/** A thin client of the public REST API: one attempt per call, errors sorted by what to do. */
export class ApiClient {
  private token: string | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async login(username: string, password: string): Promise<LoginResponse> {
    const res = await this.request<LoginResponse>(
      'POST',
      '/api/v1/auth/login',
      { username, password },
      false,
    );
    this.token = res.accessToken;
    return res;
  }

  units(): Promise<UnitSummary[]> {
    return this.request<UnitSummary[]>('GET', '/api/v1/units');
  }

  snapshot(unit: string): Promise<SnapshotResponse> {
    return this.request<SnapshotResponse>(
      'GET',
      `/api/v1/snapshot?unit=${encodeURIComponent(unit)}`,
    );
  }

  postEvents(events: EventInput[]): Promise<IngestResponse> {
    return this.request<IngestResponse>('POST', '/api/v1/events', { events });
  }

  private async request<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw new TransientError(`${method} ${path}: ${describe(err)}`);
    }

    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (status >= 200 && status < 300) {
      if (parsed === undefined)
        throw new TransientError(`${method} ${path}: HTTP ${status} without a JSON body`);
      return parsed as T;
    }
    const errorBody = isErrorBody(parsed) ? parsed : text;
    const message = typeof errorBody === 'string' ? errorBody.slice(0, 200) : errorBody.message;
    if (status === 401) throw new UnauthorizedError(`${method} ${path}: HTTP 401: ${message}`);
    if (
      status >= 500 ||
      status === 408 ||
      status === 409 ||
      status === 429 ||
      namesUnregisteredSource(status, errorBody)
    ) {
      throw new TransientError(`${method} ${path}: HTTP ${status}: ${message}`);
    }
    throw new RejectedError(status, errorBody);
  }
}

function namesUnregisteredSource(status: number, body: ErrorBody | string): boolean {
  return (
    status === 404 &&
    typeof body !== 'string' &&
    !!body.details?.some((d) => d.path.endsWith('.sourceCaseId'))
  );
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'statusCode' in value && 'message' in value;
}
