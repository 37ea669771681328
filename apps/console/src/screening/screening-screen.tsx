import type { ScreeningCounts, ScreeningSiteStatus, ScreeningStatus } from '@frontline/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useRouter } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useAuth, useConsoleConfig, useUnits, useUnitsGeo } from '../api/queries';
import { ConnectionStatus } from '../components/connection-status';
import { LanguageSwitch } from '../components/language-switch';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/time';
import { useHomeLiveFeed } from '../realtime/use-live-feed';
import type { Session } from '../session/session';
import { SCREENING_EVENT_TYPES, screeningApi, screeningKeys } from './screening-api';
import { ScreeningMap } from './screening-map';
import './screening.css';

export const SCREENING_PATH = '/screening';
/** The board is read again at least this often (due and overdue move with the clock). */
const REFRESH_MS = 60_000;
/** Live results and alerts refresh the board, at most this often. */
const LIVE_REFRESH_MS = 3_000;
const UNIT_CODE = /^[A-Za-z0-9_-]{1,32}$/;
const UUID = /^[0-9a-f-]{36}$/i;


function fromUrl(home: string): { unit: string; program: string | null } {
  const params = new URLSearchParams(window.location.search);
  const unit = params.get('unit');
  const program = params.get('program');
  return {
    unit: unit && UNIT_CODE.test(unit) ? unit : home,
    program: program && UUID.test(program) ? program : null,
  };
}

const minute = (iso: string | null) => (iso ? formatDateTime(iso).slice(0, 16) : null);

/**
 * The screening coverage board (/screening?unit=CODE&program=ID): per program, unit and site
 * how many are covered, due and overdue (overdue sites first and marked), the sites on a
 * clustered map coloured by state; refreshed when results or screening alerts arrive on the
 * socket and every minute.
 */
export function ScreeningScreen({ session }: { session: Session }) {
  const { t } = useI18n();
  const auth = useAuth(session);
  const queryClient = useQueryClient();
  const router = useRouter();
  const [filter, setFilterState] = useState(() => fromUrl(auth.home));
  const setFilter = (next: { unit: string; program: string | null }) => {
    setFilterState(next);
    void router.navigate({
      to: SCREENING_PATH,
      search: { unit: next.unit, program: next.program ?? undefined },
      replace: true,
      resetScroll: false,
    });
  };
  const { unit, program } = filter;

  const { live, client } = useHomeLiveFeed(auth);
  useEffect(() => {
    if (!client) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = client.subscribeEvents((events) => {
      if (timer || !events.some((e) => SCREENING_EVENT_TYPES.has(e.type))) return;
      timer = setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: screeningKeys.all(auth.username) });
      }, LIVE_REFRESH_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [client, queryClient, auth.username]);

  const config = useConsoleConfig();
  const units = useUnits(auth);
  const geo = useUnitsGeo(auth, unit);
  const programs = useQuery({
    queryKey: screeningKeys.programs(auth.username, unit),
    queryFn: ({ signal }) => screeningApi.programs(auth.token, unit, signal),
    refetchInterval: REFRESH_MS,
  });
  const coverage = useQuery({
    queryKey: screeningKeys.coverage(auth.username, unit, program),
    queryFn: ({ signal }) => screeningApi.coverage(auth.token, unit, program, signal),
    refetchInterval: REFRESH_MS,
  });
  const sites = useQuery({
    queryKey: screeningKeys.sites(auth.username, unit, program),
    queryFn: ({ signal }) => screeningApi.sites(auth.token, unit, program, signal),
    refetchInterval: REFRESH_MS,
  });

  const unitName = (code: string) => units.data?.name(code) ?? code;
  const choices = useMemo(() => {
    const tree = units.data;
    if (!tree) return [{ code: unit, name: unit, depth: 0 }];
    const out: { code: string; name: string; depth: number }[] = [];
    const walk = (code: string, depth: number) => {
      out.push({ code, name: tree.name(code), depth });
      if (depth < 2) for (const child of tree.children(code)) walk(child.code, depth + 1);
    };
    walk(tree.home, 0);
    if (!out.some((u) => u.code === unit))
      out.push({ code: unit, name: tree.name(unit), depth: 0 });
    return out;
  }, [units.data, unit]);
  const programName = new Map((programs.data?.programs ?? []).map((p) => [p.id, p.name]));
  const siteList = sites.data?.sites ?? [];
  const overdue = siteList.filter((s) => s.status === 'overdue').length;
  const failed = programs.isError || coverage.isError || sites.isError;

  return (
    <div className="screening-screen" data-testid="screening-screen" data-unit={unit}>
      <header className="lab-header">
        <h1 data-testid="screening-title">{t('screening.title')}</h1>
        <ConnectionStatus connection={live.connection} lastEventAt={live.lastEventAt} />
        <label>
          {t('screening.program')}{' '}
          <select
            data-testid="screening-program"
            value={program ?? ''}
            onChange={(e) => setFilter({ unit, program: e.target.value || null })}
          >
            <option value="">{t('screening.allPrograms')}</option>
            {programs.data?.programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('screening.unit')}{' '}
          <select
            data-testid="screening-unit"
            value={unit}
            onChange={(e) => setFilter({ unit: e.target.value, program })}
          >
            {choices.map((u) => (
              <option key={u.code} value={u.code}>
                {'\u00a0\u00a0'.repeat(u.depth)}
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <Link to="/">{t('screening.back')}</Link>
        <LanguageSwitch />
      </header>
      <main className="screening-main">
        <div className="screening-tables">
          {failed && <p role="alert">{t('screening.failed')}</p>}
          {programs.isPending && <p>{t('screening.loading')}</p>}
          {programs.data && !programs.data.programs.length && <p>{t('screening.noPrograms')}</p>}
          {overdue > 0 && (
            <p
              className="screening-overdue-banner"
              role="status"
              data-testid="screening-overdue-count"
            >
              {t('screening.overdueCount', { count: overdue })}
            </p>
          )}
          <section className="lab-card" aria-labelledby="screening-programs-title">
            <h2 id="screening-programs-title">{t('screening.programsTitle')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('screening.col.name')}</th>
                  <th scope="col">{t('screening.col.cadence')}</th>
                  <th scope="col">{t('screening.col.sites')}</th>
                  <th scope="col">{t('screening.col.people')}</th>
                </tr>
              </thead>
              <tbody>
                {programs.data?.programs
                  .filter((p) => !program || p.id === program)
                  .map((p) => (
                    <tr
                      key={p.id}
                      data-testid="screening-program-row"
                      data-program-id={p.id}
                      className={p.sites.overdue || p.people.overdue ? 'is-overdue' : undefined}
                    >
                      <td>
                        <button
                          type="button"
                          className="screening-link"
                          onClick={() => setFilter({ unit, program: p.id })}
                        >
                          {p.name}
                        </button>
                      </td>
                      <td>{t('screening.cadence', { days: p.cadenceDays })}</td>
                      <td>
                        <Counts counts={p.sites} />
                      </td>
                      <td>
                        <Counts counts={p.people} />
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
          <section className="lab-card" aria-labelledby="screening-units-title">
            <h2 id="screening-units-title">{t('screening.unitsTitle')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('screening.col.unit')}</th>
                  <th scope="col">{t('screening.col.sites')}</th>
                  <th scope="col">{t('screening.col.people')}</th>
                  <th scope="col">{t('screening.col.coverage')}</th>
                </tr>
              </thead>
              <tbody>
                {coverage.data?.units.map((u) => (
                  <tr
                    key={u.unit}
                    data-testid="screening-unit-row"
                    data-unit={u.unit}
                    className={u.sites.overdue || u.people.overdue ? 'is-overdue' : undefined}
                  >
                    <td>{unitName(u.unit)}</td>
                    <td>
                      <Counts counts={u.sites} />
                    </td>
                    <td>
                      <Counts counts={u.people} />
                    </td>
                    <td>{Math.round(u.sites.coverage * 100)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <SiteTable
            sites={siteList}
            unitName={unitName}
            programName={(id) => programName.get(id) ?? ''}
          />
          {sites.data && (
            <p className="lab-muted">
              {t('screening.updatedAt', { time: formatDateTime(sites.dataUpdatedAt) })}
            </p>
          )}
        </div>
        <ScreeningMap
          sites={siteList}
          units={geo.data}
          basemapStyleUrl={config.data?.basemapStyleUrl}
        />
      </main>
    </div>
  );
}

function Counts({ counts }: { counts: ScreeningCounts }) {
  return (
    <span className="screening-counts">
      <span className="screening-ok">{counts.ok}</span> /{' '}
      <span className="screening-due">{counts.due}</span> /{' '}
      <span className={counts.overdue ? 'screening-overdue' : undefined}>{counts.overdue}</span>
    </span>
  );
}

function StatusBadge({ status }: { status: ScreeningStatus }) {
  const { t } = useI18n();
  return (
    <span className={`screening-badge screening-badge-${status}`}>
      {t(`screening.status.${status}`)}
    </span>
  );
}

function SiteTable({
  sites,
  unitName,
  programName,
}: {
  sites: readonly ScreeningSiteStatus[];
  unitName: (code: string) => string;
  programName: (id: string) => string;
}) {
  const { t } = useI18n();
  return (
    <section className="lab-card" aria-labelledby="screening-sites-title">
      <h2 id="screening-sites-title">{t('screening.sitesTitle')}</h2>
      {!sites.length && <p className="lab-muted">{t('screening.noSites')}</p>}
      {sites.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('screening.col.name')}</th>
              <th scope="col">{t('screening.col.unit')}</th>
              <th scope="col">{t('screening.col.status')}</th>
              <th scope="col">{t('screening.col.lastTested')}</th>
              <th scope="col">{t('screening.col.dueAt')}</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr
                key={s.id}
                data-testid="screening-site"
                data-site-id={s.id}
                data-status={s.status}
                className={s.status === 'overdue' ? 'is-overdue' : undefined}
              >
                <td>
                  {s.name}
                  <div className="lab-muted">{programName(s.programId)}</div>
                </td>
                <td>{unitName(s.unit)}</td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td>{minute(s.lastTestedAt) ?? t('screening.never')}</td>
                <td>{minute(s.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
