import { LAB_UPLOAD_COLUMNS, labCodeSchema } from '@frontline/contracts';
import type { LabUploadStatusResponse } from '@frontline/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from '../api/queries';
import type { Auth } from '../api/queries';
import { ConnectionStatus } from '../components/connection-status';
import { LanguageSwitch } from '../components/language-switch';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/time';
import { useHomeLiveFeed } from '../realtime/use-live-feed';
import type { Session } from '../session/session';
import { ERRORS_PAGE_SIZE, labApi, labKeys, saveBlob, sendLabFile } from './lab-api';
import type { SendProgress } from './lab-api';
import { useUploadProgress } from './use-upload-progress';
import './lab.css';

export const LAB_PATH = '/lab';
const LAB_CODE_KEY = 'frontline.labCode';
const REQUIRED = ['sampleId', 'unit', 'method', 'result', 'collectedAt'];


const finished = (s: LabUploadStatusResponse['status'] | undefined) =>
  s === 'completed' || s === 'failed';

function storedLabCode(): string {
  try {
    return localStorage.getItem(LAB_CODE_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The lab upload screen (/lab): choose a CSV or JSON file and send it (bytes sent), then follow
 * the worker's progress live (`lab-upload.progressed` over the socket, the status endpoint
 * polled as a fallback), the summary, the refused rows page by page and as CSV, and the
 * caller's recent uploads.
 */
export function LabUploadScreen({
  session,
  onUnauthorized,
}: {
  session: Session;
  onUnauthorized: () => void;
}) {
  const { t, formatNumber } = useI18n();
  const auth = useAuth(session);
  const queryClient = useQueryClient();
  const { live, client } = useHomeLiveFeed(auth);

  const [labCode, setLabCode] = useState(storedLabCode);
  const [file, setFile] = useState<File | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState<SendProgress | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [alreadyUploaded, setAlreadyUploaded] = useState(false);
  const abortRef = useRef<(() => void) | null>(null);
  useEffect(() => () => abortRef.current?.(), []);

  const progress = useUploadProgress(auth, client, live.connection, currentId);
  const recent = useQuery({
    queryKey: labKeys.mine(auth.username),
    queryFn: ({ signal }) => labApi.mine(auth.token, signal),
    refetchInterval: 30_000,
  });
  // The list follows the upload in view: refreshed when it reaches its end.
  const currentState = progress.status?.status;
  useEffect(() => {
    if (finished(currentState))
      void queryClient.invalidateQueries({ queryKey: labKeys.mine(auth.username) });
  }, [currentState, queryClient, auth.username]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file || !/\.(csv|json)$/i.test(file.name)) return setFormError(t('lab.chooseFile'));
    if (!labCodeSchema.safeParse(labCode).success) return setFormError(t('lab.labCodeInvalid'));
    try {
      localStorage.setItem(LAB_CODE_KEY, labCode);
    } catch {
      // No storage: the code is asked again next time.
    }
    setFormError(null);
    setCurrentId(null);
    setAlreadyUploaded(false);
    setSending({ sent: 0, total: file.size });
    const request = sendLabFile(auth.token, labCode, file, setSending);
    abortRef.current = request.abort;
    request.done.then(
      (status) => {
        abortRef.current = null;
        setSending(null);
        setAlreadyUploaded(status.alreadyUploaded === true);
        queryClient.setQueryData(labKeys.status(auth.username, status.id), status);
        setCurrentId(status.id);
        void queryClient.invalidateQueries({ queryKey: labKeys.mine(auth.username) });
      },
      (err: unknown) => {
        abortRef.current = null;
        setSending(null);
        if (err instanceof ApiError && err.status === 401) return onUnauthorized();
        const reason =
          err instanceof ApiError
            ? (err.body?.message ?? `HTTP ${err.status}`)
            : t('lab.networkError');
        setFormError(t('lab.sendFailed', { reason }));
      },
    );
  };

  const status = progress.status;
  const percent = (done: number, total: number) =>
    total > 0 ? Math.min(100, (done / total) * 100) : 0;

  return (
    <div className="lab-screen" data-testid="lab-screen">
      <header className="lab-header">
        <h1>{t('lab.title')}</h1>
        <ConnectionStatus connection={live.connection} lastEventAt={live.lastEventAt} />
        <Link to="/">{t('lab.back')}</Link>
        <LanguageSwitch />
      </header>
      <main className="lab-main">
        <section className="lab-card" aria-labelledby="lab-form-title">
          <h2 id="lab-form-title" className="visually-hidden">
            {t('lab.title')}
          </h2>
          <form className="lab-form" onSubmit={submit}>
            <label>
              {t('lab.labCode')}
              <input
                data-testid="lab-upload-lab-code"
                value={labCode}
                onChange={(e) => setLabCode(e.target.value.trim())}
                maxLength={64}
                required
                autoComplete="off"
              />
            </label>
            <label>
              {t('lab.file')}
              <input
                type="file"
                data-testid="lab-upload-file"
                accept=".csv,.json,text/csv,application/json"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </label>
            <button
              type="submit"
              className="button button-primary"
              data-testid="lab-upload-submit"
              disabled={sending !== null}
            >
              {t('lab.upload')}
            </button>
          </form>
          {formError && (
            <p role="alert" className="lab-alert" data-testid="lab-upload-form-error">
              {formError}
            </p>
          )}

          {sending && (
            <div className="lab-progress" data-testid="lab-upload-sending">
              <p>
                {t('lab.sending', {
                  sent: formatBytes(sending.sent),
                  total: formatBytes(sending.total),
                })}
              </p>
              <progress max={sending.total || 1} value={sending.sent} />
            </div>
          )}

          {status && (
            <div
              className="lab-progress"
              data-testid="lab-upload-progress"
              data-upload-id={status.id}
              data-status={status.status}
              data-rows-done={status.rowsDone}
              data-total-rows={status.totalRows}
            >
              <p>
                <strong>
                  {status.status === 'queued'
                    ? t('lab.queued')
                    : status.status === 'processing'
                      ? t('lab.processing')
                      : status.status === 'completed'
                        ? t('lab.completed')
                        : t('lab.failed', { reason: status.failureReason ?? '' })}
                </strong>{' '}
                <span data-testid="lab-upload-rows">
                  {t('lab.rows', {
                    done: formatNumber(status.rowsDone),
                    total: formatNumber(status.totalRows),
                  })}
                </span>{' '}
                <span className="lab-muted">
                  ({t(progress.via === 'live' ? 'lab.progressVia.live' : 'lab.progressVia.poll')})
                </span>
              </p>
              <div
                className="lab-bar"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={status.totalRows}
                aria-valuenow={status.rowsDone}
                aria-valuetext={t('lab.rows', {
                  done: formatNumber(status.rowsDone),
                  total: formatNumber(status.totalRows),
                })}
              >
                <span style={{ width: `${percent(status.rowsDone, status.totalRows)}%` }} />
              </div>
              {alreadyUploaded && <p className="lab-muted">{t('lab.alreadyUploaded')}</p>}
              {finished(status.status) && (
                <dl className="lab-summary" data-testid="lab-upload-summary">
                  <div>
                    <dt>{t('lab.summaryCommitted')}</dt>
                    <dd data-testid="lab-upload-committed" data-count={status.committed}>
                      {t('lab.summaryRows', { count: formatNumber(status.committed) })}
                    </dd>
                  </div>
                  <div className={status.errors ? 'is-rejected' : undefined}>
                    <dt>{t('lab.summaryRejected')}</dt>
                    <dd data-testid="lab-upload-rejected" data-count={status.errors}>
                      {t('lab.summaryRows', { count: formatNumber(status.errors) })}
                    </dd>
                  </div>
                </dl>
              )}
            </div>
          )}
          {status && finished(status.status) && (
            <ErrorList auth={auth} upload={status} key={status.id} />
          )}
          <FormatHelp />
        </section>
        <RecentUploads
          uploads={recent.data?.uploads}
          current={currentId}
          onOpen={(id) => {
            setAlreadyUploaded(false);
            setCurrentId(id);
          }}
        />
      </main>
    </div>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The refused rows of a finished upload, a page at a time, and the whole list as CSV. */
function ErrorList({ auth, upload }: { auth: Auth; upload: LabUploadStatusResponse }) {
  const { t, formatNumber } = useI18n();
  const [page, setPage] = useState(0);
  const errors = useQuery({
    queryKey: labKeys.errors(auth.username, upload.id, page),
    queryFn: ({ signal }) => labApi.errors(auth.token, upload.id, page, signal),
    enabled: upload.errors > 0,
    staleTime: Infinity,
  });
  const [downloading, setDownloading] = useState(false);
  if (upload.errors === 0) {
    return (
      <p className="lab-muted" data-testid="lab-upload-errors" data-count="0">
        {t('lab.errorsNone')}
      </p>
    );
  }
  const rows = errors.data?.errors ?? [];
  return (
    <section
      className="lab-errors"
      data-testid="lab-upload-errors"
      data-count={upload.errors}
      aria-labelledby="lab-errors-title"
    >
      <h3 id="lab-errors-title">
        {t('lab.errorsTitle')} ({formatNumber(upload.errors)})
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('lab.errorRow')}</th>
            <th scope="col">{t('lab.errorField')}</th>
            <th scope="col">{t('lab.errorMessage')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr
              key={`${e.row}/${e.field}`}
              data-testid="lab-upload-error"
              data-row={e.row}
              data-field={e.field}
            >
              <td>{formatNumber(e.row)}</td>
              <td>
                <code>{e.field}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="lab-pager">
        <button
          type="button"
          className="button"
          disabled={page === 0}
          onClick={() => setPage((p) => Math.max(0, p - 1))}
        >
          {t('lab.errorsPrev')}
        </button>
        <span>{t('lab.errorsPage', { page: page + 1 })}</span>
        <button
          type="button"
          className="button"
          data-testid="lab-upload-errors-next"
          disabled={rows.length < ERRORS_PAGE_SIZE}
          onClick={() => setPage((p) => p + 1)}
        >
          {t('lab.errorsNext')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="lab-upload-errors-csv"
          disabled={downloading}
          onClick={() => {
            setDownloading(true);
            labApi
              .downloadErrorsCsv(auth.token, upload.id)
              .catch(() => undefined)
              .finally(() => setDownloading(false));
          }}
        >
          {t('lab.errorsCsv')}
        </button>
      </div>
    </section>
  );
}

function RecentUploads({
  uploads,
  current,
  onOpen,
}: {
  uploads: LabUploadStatusResponse[] | undefined;
  current: string | null;
  onOpen: (id: string) => void;
}) {
  const { t, formatNumber } = useI18n();
  return (
    <section
      className="lab-card lab-recent"
      data-testid="lab-upload-recent"
      aria-labelledby="lab-recent-title"
    >
      <h2 id="lab-recent-title">{t('lab.recentTitle')}</h2>
      {uploads && !uploads.length && <p className="lab-muted">{t('lab.recentNone')}</p>}
      <ul>
        {uploads?.map((u) => (
          <li
            key={u.id}
            data-testid="lab-upload-item"
            data-upload-id={u.id}
            data-status={u.status}
            className={u.id === current ? 'is-current' : undefined}
          >
            <div>
              <strong>{u.labCode}</strong> · {formatDateTime(u.createdAt).slice(0, 16)} ·{' '}
              <span className={`lab-state lab-state-${u.status}`}>
                {t(`lab.status.${u.status}`)}
              </span>
            </div>
            <div className="lab-muted">
              {t('lab.rows', { done: formatNumber(u.rowsDone), total: formatNumber(u.totalRows) })}{' '}
              · {t('lab.summaryRejected')}: {formatNumber(u.errors)}
            </div>
            <button type="button" className="button button-quiet" onClick={() => onOpen(u.id)}>
              {t('lab.recentOpen')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The file format in short, with an example file made on the page. */
function FormatHelp() {
  const { t } = useI18n();
  const optional = LAB_UPLOAD_COLUMNS.filter((c) => !REQUIRED.includes(c));
  const example = () => {
    const csv = [
      [...REQUIRED, 'personId'].join(','),
      'QN-0001,194,rt-pcr,negative,2021-08-30T09:00:00+07:00,',
      'QN-0002,194,antigen,positive,2021-08-30T09:30:00+07:00,',
    ].join('\r\n');
    saveBlob(new Blob([`${csv}\r\n`], { type: 'text/csv' }), 'lab-results-example.csv');
  };
  return (
    <details className="lab-help" data-testid="lab-upload-help">
      <summary>{t('lab.helpTitle')}</summary>
      <p>{t('lab.helpIntro')}</p>
      <p>{t('lab.helpRequired', { columns: REQUIRED.join(', ') })}</p>
      <p>{t('lab.helpOptional', { columns: optional.join(', ') })}</p>
      <p>{t('lab.helpValues')}</p>
      <p className="lab-muted">{t('lab.helpDocs')}</p>
      <button type="button" className="button" onClick={example}>
        {t('lab.helpExample')}
      </button>
    </details>
  );
}
