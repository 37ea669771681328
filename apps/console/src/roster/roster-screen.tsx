import type { CoverageGapsResponse, OnDutyCenter } from '@frontline/contracts';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, useRouter } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useAuth, useUnits } from '../api/queries';
import { LanguageSwitch } from '../components/language-switch';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/time';
import { useLiveFeed } from '../realtime/use-live-feed';
import type { Session } from '../session/session';
import { GapNotices, usePositionLabel } from './gap-notices';
import { rosterApi, rosterKeys } from './roster-api';
import './roster.css';

export const ROSTER_PATH = '/roster';
const REFRESH_MS = 60_000;
const URGENT_WITHIN_MS = 3_600_000;
const UNIT_CODE = /^[A-Za-z0-9_-]{1,32}$/;


const minute = (iso: string | null) => (iso ? formatDateTime(iso).slice(0, 16) : '—');

function unitFromUrl(home: string): string {
  const unit = new URLSearchParams(window.location.search).get('unit');
  return unit && UNIT_CODE.test(unit) ? unit : home;
}

/**
 * The roster view (/roster?unit=CODE): per command center of the unit and position, who is on
 * duty now and on the next shift, understaffed positions highlighted; the coverage gaps of the
 * next 14 days in the unit's subtree (urgent ones first); live gap notices.
 */
export function RosterScreen({ session }: { session: Session }) {
  const { t } = useI18n();
  const positionLabel = usePositionLabel();
  const auth = useAuth(session);
  const [unit, setUnitState] = useState(() => unitFromUrl(auth.home));
  const router = useRouter();
  const setUnit = (code: string) => {
    setUnitState(code);
    void router.navigate({
      to: ROSTER_PATH,
      search: { unit: code },
      replace: true,
      resetScroll: false,
    });
  };
  const units = useUnits(auth);
  // One socket for this session, as on the console's main screen (which is not mounted here).
  const { client } = useLiveFeed(unit);

  const now = useQuery({
    queryKey: rosterKeys.onDuty(auth.username, unit, null),
    queryFn: ({ signal }) => rosterApi.onDuty(auth.token, unit, null, signal),
    refetchInterval: REFRESH_MS,
  });
  // The next shift of each position starts when its current one ends: one read per distinct end.
  const ends = useMemo(
    () =>
      [
        ...new Set(
          (now.data?.centers ?? []).flatMap((c) =>
            c.positions.flatMap((p) => (p.shiftEnd ? [p.shiftEnd] : [])),
          ),
        ),
      ].sort(),
    [now.data],
  );
  const nextReads = useQueries({
    queries: ends.map((at) => ({
      queryKey: rosterKeys.onDuty(auth.username, unit, at),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        rosterApi.onDuty(auth.token, unit, at, signal),
    })),
  });
  const nextOf = (centerId: string, position: string, end: string | null) => {
    const i = end ? ends.indexOf(end) : -1;
    const c = i >= 0 ? nextReads[i]?.data?.centers.find((x) => x.centerId === centerId) : undefined;
    return c?.positions.find((x) => x.position === position) ?? null;
  };
  const gaps = useQuery({
    queryKey: rosterKeys.gaps(auth.username, unit),
    queryFn: ({ signal }) => rosterApi.gaps(auth.token, unit, signal),
    refetchInterval: REFRESH_MS,
  });

  const unitName = (code: string) => units.data?.name(code) ?? code;
  // The home unit and two levels below it (province: its districts; district: its communes).
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
  const centerName = new Map<string, string>();
  for (const c of now.data?.centers ?? []) centerName.set(c.centerId, c.name);

  return (
    <div className="roster-screen" data-testid="roster-screen" data-unit={unit}>
      <header>
        <h1 data-testid="roster-title">{t('roster.title')}</h1>
        <label>
          {t('roster.unit')}{' '}
          <select data-testid="roster-unit" value={unit} onChange={(e) => setUnit(e.target.value)}>
            {choices.map((u) => (
              <option key={u.code} value={u.code}>
                {'\u00a0\u00a0'.repeat(u.depth)}
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <Link to="/" data-testid="roster-back">
          {t('roster.backToConsole')}
        </Link>
        <LanguageSwitch />
      </header>
      <GapNotices session={session} client={client} />
      <main>
        <section aria-labelledby="roster-now">
          <h2 id="roster-now" className="visually-hidden">
            {t('roster.onDutyNow')}
          </h2>
          {now.isPending && <p>{t('roster.loading')}</p>}
          {now.isError && <p role="alert">{t('roster.failed')}</p>}
          {now.data && !now.data.centers.length && <p>{t('roster.noCenter')}</p>}
          {now.data?.centers.map((c) => (
            <CenterCard key={c.centerId} center={c} nextOf={nextOf} positionLabel={positionLabel} />
          ))}
          {now.data && (
            <p className="roster-muted">
              {t('roster.updatedAt', { time: formatDateTime(now.dataUpdatedAt) })}
            </p>
          )}
        </section>
        <GapList
          data={gaps.data}
          positionLabel={positionLabel}
          centerName={(id, unitCode) => centerName.get(id) ?? unitName(unitCode)}
        />
      </main>
    </div>
  );
}

function CenterCard({
  center,
  nextOf,
  positionLabel,
}: {
  center: OnDutyCenter;
  nextOf: (
    centerId: string,
    position: string,
    end: string | null,
  ) => OnDutyCenter['positions'][number] | null;
  positionLabel: (code: string) => string;
}) {
  const { t } = useI18n();
  const people = (list: OnDutyCenter['positions'][number]['people']) =>
    list.map((p) => (p.publicPhone ? `${p.fullName} (${p.publicPhone})` : p.fullName)).join(', ');
  return (
    <article className="roster-card" data-testid="roster-center" data-center-id={center.centerId}>
      <h2>{center.name}</h2>
      {center.hotline && (
        <p className="roster-muted">
          {t('roster.hotline')}:{' '}
          <a href={`tel:${center.hotline.replace(/[^\d+]/g, '')}`}>{center.hotline}</a>
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t('roster.position')}</th>
            <th>{t('roster.onDutyNow')}</th>
            <th>{t('roster.nextShift')}</th>
          </tr>
        </thead>
        <tbody>
          {center.positions.map((p) => {
            const upcoming = nextOf(center.centerId, p.position, p.shiftEnd);
            return (
              <tr
                key={p.position}
                className={p.understaffed ? 'is-understaffed' : undefined}
                data-testid="roster-position"
                data-position={p.position}
                data-understaffed={p.understaffed ? 'true' : 'false'}
              >
                <td>
                  {positionLabel(p.position)}
                  <div className="roster-muted">
                    {t('roster.required', { count: p.requiredCount })}
                  </div>
                </td>
                <td data-testid="roster-now-people">
                  {p.people.length ? people(p.people) : t('roster.nobody')}
                  {p.understaffed && (
                    <span className="roster-badge">{t('roster.understaffed')}</span>
                  )}
                  {p.shiftEnd && (
                    <div className="roster-muted">
                      {t('roster.shiftUntil', { time: minute(p.shiftEnd) })}
                    </div>
                  )}
                  {p.specialDay && (
                    <div className="roster-muted">
                      {t('roster.specialDay', { name: p.specialDay })}
                    </div>
                  )}
                </td>
                <td data-testid="roster-next-people">
                  {upcoming
                    ? upcoming.people.length
                      ? people(upcoming.people)
                      : t('roster.nobody')
                    : '—'}
                  {upcoming?.understaffed && (
                    <span className="roster-badge">{t('roster.understaffed')}</span>
                  )}
                  {upcoming?.shiftStart && (
                    <div className="roster-muted">
                      {t('roster.shiftFrom', { time: minute(upcoming.shiftStart) })}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </article>
  );
}

function GapList({
  data,
  positionLabel,
  centerName,
}: {
  data: CoverageGapsResponse | undefined;
  positionLabel: (code: string) => string;
  centerName: (centerId: string, unit: string) => string;
}) {
  const { t } = useI18n();
  const soon = Date.now() + URGENT_WITHIN_MS;
  return (
    <section
      className="roster-card roster-gaps"
      data-testid="roster-gaps"
      aria-labelledby="roster-gaps-title"
    >
      <h2 id="roster-gaps-title">{t('roster.gapsTitle')}</h2>
      {data && !data.gaps.length && <p>{t('roster.noGaps')}</p>}
      <ul>
        {data?.gaps.map((g) => {
          const urgent = Date.parse(g.from) <= soon;
          return (
            <li
              key={`${g.centerId}/${g.position}/${g.from}`}
              className={urgent ? 'is-urgent' : undefined}
              data-testid="roster-gap"
              data-center-id={g.centerId}
              data-urgent={urgent ? 'true' : 'false'}
            >
              {urgent && <strong>{t('roster.gapUrgent')}: </strong>}
              {t('roster.gapRow', {
                position: positionLabel(g.position),
                center: centerName(g.centerId, g.unit),
                from: minute(g.from),
                to: minute(g.to),
                staffed: g.staffed,
                required: g.requiredCount,
              })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
