import type { EventPayload, LabUploadStatusResponse } from '@frontline/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Auth } from '../api/queries';
import type { ConnectionState } from '../realtime/feed-state';
import type { LiveClient } from '../realtime/live-client';
import { labApi, labKeys } from './lab-api';

type Progressed = EventPayload<'lab-upload.progressed'>;

/** While the socket is live the status is still read now and then (a missed event, a throttled one). */
const POLL_WHEN_LIVE_MS = 3_000;
/** Without the socket the status endpoint is the only source. */
const POLL_WHEN_NOT_LIVE_MS = 1_000;

const finished = (s: LabUploadStatusResponse['status'] | undefined) =>
  s === 'completed' || s === 'failed';

/** The later of two reads of one upload: progress only moves forward, whichever source is late. */
function later(
  old: LabUploadStatusResponse | undefined,
  fresh: LabUploadStatusResponse,
): LabUploadStatusResponse {
  if (!old || old.id !== fresh.id) return fresh;
  if (finished(fresh.status)) return fresh;
  if (finished(old.status) || old.rowsDone > fresh.rowsDone) return old;
  return fresh;
}

/**
 * The status of upload `id`: `lab-upload.progressed` events from the socket update it at once;
 * the status endpoint is polled as the fallback (often without the socket, seldom with it)
 * until the upload has finished. `via` says which source gave the last step.
 */
export function useUploadProgress(
  auth: Auth,
  client: LiveClient | null,
  connection: ConnectionState,
  id: string | null,
): { status: LabUploadStatusResponse | undefined; via: 'live' | 'poll' } {
  const queryClient = useQueryClient();
  const [via, setVia] = useState<'live' | 'poll'>('poll');
  const idRef = useRef(id);
  idRef.current = id;

  useEffect(() => {
    if (!client) return;
    return client.subscribeEvents((events) => {
      let ended = false;
      for (const event of events) {
        if (event.type !== 'lab-upload.progressed') continue;
        const p = event.payload as Progressed;
        const key = labKeys.status(auth.username, p.uploadId);
        const old = queryClient.getQueryData<LabUploadStatusResponse>(key);
        if (old) {
          const next = later(old, {
            ...old,
            status: p.status,
            rowsDone: p.rowsDone,
            totalRows: p.totalRows,
            committed: p.committed,
            errors: p.errors,
          });
          if (next !== old) queryClient.setQueryData(key, next);
        }
        if (p.uploadId === idRef.current) setVia('live');
        if (finished(p.status)) ended = true;
      }
      if (ended) void queryClient.invalidateQueries({ queryKey: labKeys.mine(auth.username) });
    });
  }, [client, queryClient, auth.username]);

  const query = useQuery({
    queryKey: labKeys.status(auth.username, id ?? ''),
    queryFn: async ({ signal }) => {
      const key = labKeys.status(auth.username, id ?? '');
      const fresh = await labApi.status(auth.token, id ?? '', signal);
      const old = queryClient.getQueryData<LabUploadStatusResponse>(key);
      if (!old || fresh.rowsDone > old.rowsDone || fresh.status !== old.status) setVia('poll');
      return later(old, fresh);
    },
    enabled: id !== null,
    refetchInterval: (q) =>
      finished(q.state.data?.status)
        ? false
        : connection === 'live'
          ? POLL_WHEN_LIVE_MS
          : POLL_WHEN_NOT_LIVE_MS,
  });
  return { status: id ? query.data : undefined, via };
}
