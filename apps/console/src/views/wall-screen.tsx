import { useEffect, useMemo, useState } from 'react';
import { useChildrenFigures } from '../api/queries';
import { ConnectionStatus } from '../components/connection-status';
import { DrillBanner } from '../components/drill-banner';
import { Figures } from '../components/figures';
import { MapPanel } from '../components/map-panel';
import { StaleBanner } from '../components/stale-banner';
import { useI18n } from '../i18n/i18n';
import { eventSummary, eventTypeLabel, severityOf } from '../lib/event-text';
import { DEFAULT_TIME_ZONE, formatDateTime, formatRecent, timeZone, zoneOffset } from '../lib/time';
import type { Session } from '../session/session';
import { useView } from './url-state';
import { useSituation } from './use-situation';

/** How long each unit stays on the wall. */
export const WALL_ROTATE_MS = 20_000;
/** Units with an event in this window join the rotation. */
const ACTIVE_WITHIN_MS = 24 * 60 * 60 * 1000;
const CRITICAL_SHOWN = 6;

interface Props {
  session: Session;
  onLogout: () => void;
  onUnauthorized: () => void;
}

/**
 * The video wall (/wall or ?mode=wall): read from five metres, no controls. It rotates between
 * the home unit and the units below it with events in the last 24 hours, every 20 seconds
 * (`?rotate=<seconds>` sets another period). Esc goes back to the desk view.
 */
export function WallScreen({ session, onUnauthorized }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [view, setView] = useView();
  const home = session.user.unit.code;

  const [now, setNow] = useState(() => Date.now());
  const [startedAt] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setView({ wall: false }, { replace: false });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  // The rotation: home, then the units below it with recent activity (newest activity first).
  const auth = useMemo(
    () => ({ token: session.accessToken, username: session.user.username, home }),
    [session.accessToken, session.user.username, home],
  );
  const homeChildren = useChildrenFigures(auth, home);
  const rotation = useMemo(() => {
    const active = (homeChildren.data?.children ?? [])
      .filter(
        (child) =>
          child.lastEventAt && Date.now() - Date.parse(child.lastEventAt) < ACTIVE_WITHIN_MS,
      )
      .sort((a, b) => Date.parse(b.lastEventAt ?? '') - Date.parse(a.lastEventAt ?? ''))
      .map((child) => child.code);
    return [home, ...active];
    // Re-evaluated when the figures change, not every second (`now` is left out on purpose).
  }, [homeChildren.data, home]);
  const period = view.rotate !== null ? view.rotate * 1000 : WALL_ROTATE_MS;
  const elapsed = now - startedAt;
  const index = Math.floor(elapsed / period) % rotation.length;
  const unit = rotation[index] ?? home;
  const next = rotation[(index + 1) % rotation.length] ?? home;
  const secondsLeft = Math.ceil((period - (elapsed % period)) / 1000);

  const s = useSituation(session, unit, view.drill, onUnauthorized);
  const unitName = s.tree?.name(unit) ?? session.user.unit.name;
  const critical = s.items
    .filter((item) => severityOf(item.event.type) === 'critical')
    .slice(0, CRITICAL_SHOWN);
  const unacked = new Set(s.unacknowledged.map((event) => event.id));
  const clock = formatDateTime(now);
  // The clock follows the deployment's zone (console-config); its label names that zone.
  const clockLabel =
    timeZone() === DEFAULT_TIME_ZONE
      ? t('wall.clock')
      : t('wall.clockZone', { zone: timeZone(), offset: zoneOffset(now) });

  return (
    <div
      className={view.drill ? 'wall is-drill' : 'wall'}
      data-testid="wall"
      data-unit={s.unit ?? ''}
    >
      <header className="wall-head">
        <span className="brand-name">{t('app.name')}</span>
        <h1 className="wall-unit" data-testid="wall-unit">
          {unitName}
        </h1>
        <div className="wall-clock" data-testid="wall-clock" aria-label={clockLabel} title={clockLabel}>
          <strong>{clock.slice(11, 16)}</strong>
          <span>{clock.slice(0, 10)}</span>
        </div>
        <ConnectionStatus connection={s.live.connection} lastEventAt={s.live.lastEventAt} />
      </header>
      <DrillBanner drill={view.drill} />
      <StaleBanner live={s.live} />
      <div className="wall-body">
        <MapPanel
          situation={s}
          view={view}
          setView={setView}
          focus={null}
          onSelectUnit={() => undefined}
          onSelectEvent={() => undefined}
          wall
        />
        <aside className="wall-side">
          <Figures
            live={s.live}
            unacknowledged={s.unacknowledgedInView.length}
            active={null}
            onFilter={() => undefined}
            trend={s.trend.data}
            trendError={s.trend.isError}
            wall
          />
          <section className="wall-critical" aria-labelledby="wall-critical-title">
            <h2 id="wall-critical-title" className="wall-section-title">
              {t('wall.critical')}
            </h2>
            {critical.length === 0 ? (
              <p className="wall-empty">
                {s.live.loaded ? t('wall.noCritical') : t('feed.loading')}
              </p>
            ) : (
              <ol className="wall-critical-list">
                {critical.map(({ event }) => (
                  <li
                    key={event.id}
                    className={`wall-item sev-critical${event.drill ? ' is-drill' : ''}${unacked.has(event.id) ? ' is-unacked' : ''}`}
                    data-testid="wall-item"
                    data-event-id={event.id}
                  >
                    <span className="sev-mark" aria-hidden="true" />
                    <span className="wall-item-body">
                      <strong>{eventTypeLabel(i18n, event.type)}</strong>
                      {event.drill && <span className="drill-tag">{t('feed.drill')}</span>}
                      {unacked.has(event.id) && (
                        <span className="unacked-tag">{t('feed.unacked')}</span>
                      )}
                      <span className="wall-item-meta">
                        {s.tree?.name(event.unit) ?? event.unit} · {formatRecent(event.occurredAt)}
                        {eventSummary(i18n, event) ? ` · ${eventSummary(i18n, event)}` : ''}
                      </span>
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </aside>
      </div>
      <footer className="wall-foot">
        <ol className="wall-rotation" aria-label={t('wall.rotation')}>
          {rotation.map((code, i) => (
            <li key={code} className={i === index ? 'is-current' : undefined}>
              {s.tree?.name(code) ?? code}
            </li>
          ))}
        </ol>
        <span className="wall-next" data-testid="wall-next">
          {rotation.length > 1
            ? t('wall.next', { unit: s.tree?.name(next) ?? next, seconds: secondsLeft })
            : ''}
        </span>
        <span className="wall-hint">{t('wall.exitHint')}</span>
      </footer>
    </div>
  );
}
