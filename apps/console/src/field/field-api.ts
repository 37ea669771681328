import type { ErrorBody, TaskActionResponse, TaskView } from '@frontline/contracts';
import { ApiError } from '../api/client';
import type { OutboxEntry, SendResult } from './outbox';

/** The field page's REST calls (same origin, the session's token). */
const REQUEST_TIMEOUT_MS = 15_000;

function authHeaders(token: string): Record<string, string> {
  return { Accept: 'application/json', Authorization: `Bearer ${token}` };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** The tasks of the member's teams (all states; the page picks what to show). */
export async function fetchFieldTasks(token: string, signal?: AbortSignal): Promise<TaskView[]> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const response = await fetch('/api/v1/dispatch/tasks', {
    headers: authHeaders(token),
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    cache: 'no-store',
  });
  const body = await readJson(response);
  if (!response.ok) throw new ApiError(response.status, body as ErrorBody | null);
  return (body as { tasks: TaskView[] }).tasks;
}

function actionRequest(entry: OutboxEntry): { path: string; body: Record<string, string> } {
  const base = `/api/v1/dispatch/tasks/${encodeURIComponent(entry.taskId)}`;
  const id = { clientActionId: entry.id };
  switch (entry.action) {
    case 'acknowledge':
      return { path: `${base}/acknowledge`, body: id };
    case 'en-route':
    case 'on-scene':
      return { path: `${base}/progress`, body: { state: entry.action, ...id } };
    case 'complete':
      return { path: `${base}/complete`, body: id };
  }
}

/**
 * One attempt at an outbox entry, classified for the outbox: delivered (2xx, a repeat answers
 * 200 with the task as it is), retry (no answer, 5xx, 408, 429), unauthorized (401), refused
 * (any other 4xx: the task was cancelled, re-assigned, already further …).
 */
export async function sendFieldAction(token: string, entry: OutboxEntry): Promise<SendResult> {
  const { path, body } = actionRequest(entry);
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: {
        ...authHeaders(token),
        'Content-Type': 'application/json',
        'Idempotency-Key': entry.id,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch {
    return { kind: 'retry' };
  }
  const parsed = await readJson(response);
  if (response.ok) return { kind: 'delivered', task: (parsed as TaskActionResponse).task };
  if (response.status === 401) return { kind: 'unauthorized' };
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    const seconds = Number(response.headers.get('Retry-After'));
    return { kind: 'retry', ...(seconds > 0 ? { retryAfterMs: seconds * 1000 } : {}) };
  }
  const reason = (parsed as ErrorBody | null)?.message ?? `HTTP ${response.status}`;
  return { kind: 'refused', status: response.status, reason };
}
