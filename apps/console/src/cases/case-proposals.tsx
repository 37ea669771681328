import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/time';
import { casesApi, casesKeys } from './cases-api';
import { CasesLink } from './cases-context';
import type { CasesContext } from './cases-context';
import { caseCode, useCaseLabels } from './labels';

/** Roles that confirm an F0 (the API refuses the others; the button is not offered to them). */
const CONFIRMERS = new Set(['commander', 'duty-officer', 'admin']);
const REFRESH_MS = 30_000;

/**
 * F0 proposals waiting for the duty officer: a positive result on a contact (or after recovery)
 * proposes an F0; "Xác nhận F0" confirms it (POST /cases/:id/confirm). The proposal leaves the
 * list when the API answers; every other console learns of it from the live events.
 */
export function CaseProposals({ ctx }: { ctx: CasesContext }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  const queryClient = useQueryClient();
  const proposals = useQuery({
    queryKey: casesKeys.proposals(ctx.auth.username),
    queryFn: ({ signal }) => casesApi.list(ctx.auth.token, { proposed: 'true' }, undefined, signal),
    refetchInterval: REFRESH_MS,
  });
  const [failed, setFailed] = useState<{ id: string; reason: string } | null>(null);
  const confirm = useMutation({
    mutationFn: (id: string) => casesApi.confirm(ctx.auth.token, id),
    onMutate: () => setFailed(null),
    onError: (error, id) =>
      setFailed({ id, reason: error instanceof ApiError ? error.message : String(error) }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: casesKeys.proposals(ctx.auth.username) });
      void queryClient.invalidateQueries({ queryKey: casesKeys.lists(ctx.auth.username) });
    },
  });
  const mayConfirm = CONFIRMERS.has(ctx.role);
  const rows = proposals.data ?? [];

  return (
    <section
      className="cases-card cases-proposals"
      aria-labelledby="case-proposals-title"
      data-testid="case-proposals"
    >
      <h2 id="case-proposals-title">
        {t('cases.proposals.title')}{' '}
        {rows.length > 0 && <span className="count-badge">{rows.length}</span>}
      </h2>
      {proposals.isPending && <p className="cases-muted">{t('cases.list.loading')}</p>}
      {proposals.isError && <p role="alert">{t('cases.list.failed')}</p>}
      {proposals.data && !rows.length && <p className="cases-muted">{t('cases.proposals.none')}</p>}
      <ul>
        {rows.map((c) => {
          const busy = confirm.isPending && confirm.variables === c.id;
          return (
            <li key={c.id} className="proposal" data-testid="case-proposal" data-case-id={c.id}>
              <div>
                <CasesLink
                  to={{ view: 'detail', id: c.id }}
                  navigate={ctx.navigate}
                  className="mono"
                >
                  {caseCode(c.id)}
                </CasesLink>{' '}
                <span className={`class-badge class-${c.classification}`}>
                  {labels.classification(c.classification)}
                </span>{' '}
                {ctx.unitName(c.unit)}
                {c.repositive && (
                  <span className="cases-flag">{t('cases.proposals.repositive')}</span>
                )}
                <div className="cases-muted">
                  {c.proposalTestId && t('cases.proposals.test', { test: c.proposalTestId })} ·{' '}
                  {t('cases.proposals.since', { time: formatDateTime(c.updatedAt).slice(0, 16) })}
                </div>
                {failed?.id === c.id && (
                  <p role="alert" className="cases-error">
                    {t('cases.proposals.failed', { reason: failed.reason })}
                  </p>
                )}
              </div>
              {mayConfirm && (
                <button
                  type="button"
                  className="button button-primary"
                  data-testid="case-proposal-confirm"
                  aria-label={t('cases.proposals.confirmLabel', { code: caseCode(c.id) })}
                  disabled={busy}
                  onClick={() => confirm.mutate(c.id)}
                >
                  {busy ? t('cases.proposals.confirming') : t('cases.proposals.confirm')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
