import type {
  ErrorBody,
  LabUploadErrorsResponse,
  LabUploadListResponse,
  LabUploadStatusResponse,
} from '@frontline/contracts';
import { ApiError, request } from '../api/client';

/** The lab upload endpoints (same-origin REST, the session's token). */
async function get<T>(path: string, token: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { token, signal });
}

/** The media type the api expects for a file: JSON by its name or type, else CSV. */
export function contentTypeOf(file: File): 'application/json' | 'text/csv' {
  return /\.json$/i.test(file.name) || file.type === 'application/json'
    ? 'application/json'
    : 'text/csv';
}

export interface SendProgress {
  sent: number;
  total: number;
}

/**
 * Sends the file as the request body with XMLHttpRequest, whose upload events report the bytes
 * sent (fetch has no upload progress). Resolves with the upload's status (202 new, 200 the same
 * file sent before); rejects with ApiError on a refusal, with Error on a network failure.
 */
export function sendLabFile(
  token: string,
  labCode: string,
  file: File,
  onProgress: (p: SendProgress) => void,
): { done: Promise<LabUploadStatusResponse>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<LabUploadStatusResponse>((resolve, reject) => {
    xhr.open('POST', `/api/v1/lab-uploads?lab=${encodeURIComponent(labCode)}`);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', `${contentTypeOf(file)}; charset=utf-8`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) =>
      onProgress({ sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as LabUploadStatusResponse);
      else reject(new ApiError(xhr.status, (body as ErrorBody | null) ?? null));
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new Error('aborted'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** Rows of the error list per page: files with thousands of bad rows are read a page at a time. */
export const ERRORS_PAGE_SIZE = 50;

export const labApi = {
  mine: (token: string, signal?: AbortSignal) =>
    get<LabUploadListResponse>('/lab-uploads?limit=10', token, signal),
  status: (token: string, id: string, signal?: AbortSignal) =>
    get<LabUploadStatusResponse>(`/lab-uploads/${encodeURIComponent(id)}`, token, signal),
  errors: (token: string, id: string, page: number, signal?: AbortSignal) =>
    get<LabUploadErrorsResponse>(
      `/lab-uploads/${encodeURIComponent(id)}/errors?offset=${page * ERRORS_PAGE_SIZE}&limit=${ERRORS_PAGE_SIZE}`,
      token,
      signal,
    ),
  /**
   * Every error as a CSV file: fetched with the token (a plain link would carry none), then
   * saved from a local blob: URL.
   */
  async downloadErrorsCsv(token: string, id: string): Promise<void> {
    const response = await fetch(`/api/v1/lab-uploads/${encodeURIComponent(id)}/errors.csv`, {
      headers: { Authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    if (!response.ok) throw new ApiError(response.status, null);
    saveBlob(await response.blob(), `lab-upload-${id}-errors.csv`);
  },
};

/** Saves `blob` as a file through a temporary local URL (nothing leaves the page). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const labKeys = {
  all: (username: string) => ['lab-uploads', username] as const,
  mine: (username: string) => ['lab-uploads', username, 'mine'] as const,
  status: (username: string, id: string) => ['lab-uploads', username, 'status', id] as const,
  errors: (username: string, id: string, page: number) =>
    ['lab-uploads', username, 'errors', id, page] as const,
};

/** The roles that may upload lab files (the api's LAB_ROLES). */
export const LAB_UPLOAD_ROLES: ReadonlySet<string> = new Set([
  'lab',
  'duty-officer',
  'commander',
  'admin',
]);
