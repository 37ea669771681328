import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/time';
import { filtersSearch } from './case-list';
import { casesApi, casesKeys } from './cases-api';
import { CasesLink } from './cases-context';
import type { CasesContext } from './cases-context';
import { caseCode } from './labels';

/** A cluster's graph opens from its index case, downwards, as deep as the chain API goes. */
const CLUSTER_DEPTH = 10;

/** Clusters touching the jurisdiction (GET /clusters): their size, F0 and units; each opens its graph. */
export function ClusterList({ ctx }: { ctx: CasesContext }) {
  const { t, formatNumber } = useI18n();
  const clusters = useQuery({
    queryKey: casesKeys.clusters(ctx.auth.username),
    queryFn: ({ signal }) => casesApi.clusters(ctx.auth.token, signal),
  });
  return (
    <section className="cases-card" aria-labelledby="clusters-title" data-testid="cluster-list">
      <h2 id="clusters-title">{t('cases.clusters.title')}</h2>
      {clusters.isPending && <p className="cases-muted">{t('cases.list.loading')}</p>}
      {clusters.isError && <p role="alert">{t('cases.list.failed')}</p>}
      {clusters.data && !clusters.data.length && (
        <p className="cases-muted">{t('cases.clusters.none')}</p>
      )}
      {!!clusters.data?.length && (
        <table>
          <thead>
            <tr>
              <th>{t('cases.clusters.index')}</th>
              <th>{t('cases.clusters.size')}</th>
              <th>{t('cases.clusters.f0')}</th>
              <th>{t('cases.clusters.units')}</th>
              <th>{t('cases.clusters.detected')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {clusters.data.map((c) => (
              <tr key={c.id} data-testid="cluster-row" data-cluster-id={c.id}>
                <td className="mono">{caseCode(c.indexCaseId)}</td>
                <td>{formatNumber(c.size)}</td>
                <td>{formatNumber(c.f0)}</td>
                <td>{c.units.map(ctx.unitName).join(', ')}</td>
                <td>{formatDateTime(c.detectedAt).slice(0, 16)}</td>
                <td className="cluster-actions">
                  <CasesLink
                    to={{
                      view: 'graph',
                      id: c.indexCaseId,
                      depth: CLUSTER_DEPTH,
                      direction: 'down',
                    }}
                    navigate={ctx.navigate}
                    className="button"
                    data-testid="cluster-open-graph"
                  >
                    {t('cases.clusters.open')}
                  </CasesLink>
                  <CasesLink
                    to={{ view: 'list' }}
                    search={filtersSearch({ cluster: c.id })}
                    navigate={ctx.navigate}
                    className="button button-quiet"
                  >
                    {t('cases.clusters.members')}
                  </CasesLink>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
