import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { OpenReport } from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import { formatRecent } from '../lib/time';
import { dispatchApi } from './dispatch-api';

type Mode = 'closed' | 'close' | 'merge';

/**
 * The two ways a report ends without a task (issue: triage): closed with a reason, or merged into
 * a likely duplicate the api found close in space and time. Both are events; the live feed takes
 * the report off the board.
 */
export function ReportResolve({
  report,
  token,
  errorText,
}: {
  report: OpenReport;
  token: string;
  errorText: (err: unknown) => string;
}) {
  const { t, tMaybe } = useI18n();
  const [mode, setMode] = useState<Mode>('closed');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const duplicates = useQuery({
    queryKey: ['dispatch', 'duplicates', report.reportId],
    queryFn: ({ signal }) => dispatchApi.duplicates(token, report.reportId, signal),
    enabled: mode === 'merge',
  });
  const close = useMutation({
    mutationFn: () => dispatchApi.close(token, report.reportId, reason.trim()),
    onSuccess: () => setMode('closed'),
    onError: (err) => setError(errorText(err)),
  });
  const merge = useMutation({
    mutationFn: (into: string) => dispatchApi.merge(token, report.reportId, into),
    onSuccess: () => setMode('closed'),
    onError: (err) => setError(errorText(err)),
  });
  const toggle = (next: Mode) => {
    setError(null);
    setMode(mode === next ? 'closed' : next);
  };

  return (
    <>
      <button
        type="button"
        className="button button-quiet"
        data-testid="dispatch-report-close"
        aria-expanded={mode === 'close'}
        onClick={() => toggle('close')}
      >
        {t('dispatch.close')}
      </button>
      {report.likelyDuplicates > 0 && (
        <button
          type="button"
          className="button button-quiet"
          data-testid="dispatch-report-merge"
          aria-expanded={mode === 'merge'}
          onClick={() => toggle('merge')}
        >
          {t('dispatch.merge')}
        </button>
      )}
      {mode === 'close' && (
        <form
          className="dispatch-inline"
          aria-label={t('dispatch.closeTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) {
              setError(t('dispatch.closeReasonMissing'));
              return;
            }
            close.mutate();
          }}
        >
          <label>
            {t('dispatch.closeReason')}
            <input
              name="reason"
              data-testid="dispatch-close-reason"
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <button
            type="submit"
            className="button button-primary"
            data-testid="dispatch-close-submit"
            disabled={close.isPending}
          >
            {t('dispatch.closeSubmit')}
          </button>
        </form>
      )}
      {mode === 'merge' && (
        <div className="dispatch-inline" data-testid="dispatch-duplicates">
          <p>{t('dispatch.mergeTitle')}</p>
          {duplicates.isPending && <p>{t('dispatch.loading')}</p>}
          {duplicates.data && duplicates.data.candidates.length === 0 && (
            <p>{t('dispatch.noDuplicates')}</p>
          )}
          <ul>
            {duplicates.data?.candidates.map((c) => (
              <li
                key={c.reportId}
                data-testid="dispatch-duplicate-candidate"
                data-report-id={c.reportId}
              >
                {tMaybe(`category.${c.category}`) ?? c.category} · {formatRecent(c.occurredAt)} ·{' '}
                {t('dispatch.duplicateDistance', { metres: c.distanceM, minutes: c.minutesApart })}{' '}
                <button
                  type="button"
                  className="button"
                  data-testid="dispatch-merge-into"
                  disabled={merge.isPending}
                  onClick={() => merge.mutate(c.reportId)}
                >
                  {t('dispatch.mergeInto')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p role="alert" className="dispatch-error">
          {error}
        </p>
      )}
    </>
  );
}
