import { Link, useRouter } from '@tanstack/react-router';
import { useCallback, useMemo } from 'react';
import { useAuth, useUnits } from '../api/queries';
import { ConnectionStatus } from '../components/connection-status';
import { LanguageSwitch } from '../components/language-switch';
import { useI18n } from '../i18n/i18n';
import { useHomeLiveFeed } from '../realtime/use-live-feed';
import { useRouteLocation } from '../shell/route-location';
import type { Session } from '../session/session';
import { CaseDetailView } from './case-detail';
import { CaseList } from './case-list';
import { CaseProposals } from './case-proposals';
import { casesHref, parseCasesRoute } from './case-routes';
import { ClusterList } from './cluster-list';
import { CasesLink } from './cases-context';
import type { CasesContext, Navigate } from './cases-context';
import { useCasesLiveRefresh } from './live-refresh';
import { TracingGraphView } from './tracing-graph';
import './cases.css';

export { isCasesPath } from './case-routes';

/**
 * Cases and tracing (/cases…): the case list with its filters, the F0 proposals waiting for the
 * duty officer, a case's detail with its tasks, the tracing graph and the clusters. One socket
 * for the session (as on the console's main screen, which is not mounted here) keeps it live.
 */
export function CasesScreen({ session }: { session: Session }) {
  const { t } = useI18n();
  const auth = useAuth(session);
  const router = useRouter();
  const { pathname, search } = useRouteLocation();
  const route = useMemo(() => parseCasesRoute(pathname, search), [pathname, search]);
  const navigate = useCallback<Navigate>(
    (next, search) => void router.navigate({ href: `${casesHref(next)}${search ?? ''}` }),
    [router],
  );

  const { live, client } = useHomeLiveFeed(auth);
  useCasesLiveRefresh(client, auth.username);
  const units = useUnits(auth);
  const ctx: CasesContext = {
    auth,
    role: session.user.role,
    unitName: (code) => units.data?.name(code) ?? code,
    navigate,
  };

  return (
    <div className="cases-screen" data-testid="cases-screen" data-view={route.view}>
      <header className="cases-top">
        <h1 data-testid="cases-title">{t('cases.title')}</h1>
        <nav aria-label={t('cases.nav.label')} className="cases-nav">
          <CasesLink
            to={{ view: 'list' }}
            navigate={navigate}
            className={route.view === 'list' ? 'is-current' : undefined}
            data-testid="cases-nav-list"
          >
            {t('cases.nav.list')}
          </CasesLink>
          <CasesLink
            to={{ view: 'clusters' }}
            navigate={navigate}
            className={route.view === 'clusters' ? 'is-current' : undefined}
            data-testid="cases-nav-clusters"
          >
            {t('cases.nav.clusters')}
          </CasesLink>
        </nav>
        <ConnectionStatus connection={live.connection} lastEventAt={live.lastEventAt} />
        <Link to="/" className="cases-back" data-testid="cases-back">
          {t('cases.back')}
        </Link>
        <LanguageSwitch />
      </header>
      {route.view === 'list' && (
        <main className="cases-main cases-list-layout">
          <CaseList ctx={ctx} tree={units.data} />
          <CaseProposals ctx={ctx} />
        </main>
      )}
      {route.view === 'clusters' && (
        <main className="cases-main">
          <ClusterList ctx={ctx} />
        </main>
      )}
      {route.view === 'detail' && (
        <main className="cases-main">
          <CaseDetailView key={route.id} ctx={ctx} id={route.id} />
        </main>
      )}
      {route.view === 'graph' && (
        <main className="cases-main">
          <TracingGraphView key={route.id} ctx={ctx} route={route} />
        </main>
      )}
    </div>
  );
}
