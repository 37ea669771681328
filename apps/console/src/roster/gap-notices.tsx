import type { LiveEvent } from '@frontline/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useRouterState } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useUnits } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/time';
import type { LiveClient } from '../realtime/live-client';
import type { Session } from '../session/session';
import { ROSTER_EVENT_TYPES, rosterKeys } from './roster-api';
import './roster.css';

/** At most this many notices at once (the newest). */
const MAX_NOTICES = 4;

interface GapNotice {
  id: string;
  unit: string;
  position: string;
  from: string;
  to: string;
  required: number;
  present: number;
  urgent: boolean;
}

function toNotice(event: LiveEvent): GapNotice | null {
  if (event.type !== 'coverage.gap-detected') return null;
  const p = event.payload as Record<string, unknown>;
  return {
    id: event.id,
    unit: event.unit,
    position: String(p.position ?? ''),
    from: String(p.from ?? ''),
    to: String(p.to ?? ''),
    required: Number(p.required ?? 0),
    present: Number(p.present ?? 0),
    urgent: p.urgent === true,
  };
}

/** Position code -> its label (a code the console does not know is shown as is). */
export function usePositionLabel(): (code: string) => string {
  const { tMaybe } = useI18n();
  return (code) => tMaybe(`roster.pos.${code}`) ?? code;
}

/**
 * Coverage gaps as they are detected, over the live socket of the session (the user's
 * jurisdiction): a notice per `coverage.gap-detected`, an urgent one (the gap starts within the
 * hour) as a prominent alert. Roster events also refresh the roster queries.
 */
export function GapNotices({ session, client }: { session: Session; client: LiveClient | null }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const positionLabel = usePositionLabel();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const units = useUnits({
    token: session.accessToken,
    username: session.user.username,
    home: session.user.unit.code,
  });
  const [notices, setNotices] = useState<GapNotice[]>([]);

  useEffect(() => {
    if (!client) return;
    return client.subscribeEvents((events) => {
      const fresh = events.flatMap((e) => {
        const n = toNotice(e);
        return n ? [n] : [];
      });
      if (events.some((e) => ROSTER_EVENT_TYPES.has(e.type))) {
        void queryClient.invalidateQueries({ queryKey: rosterKeys.all(session.user.username) });
      }
      if (fresh.length) setNotices((prev) => [...fresh.reverse(), ...prev].slice(0, MAX_NOTICES));
    });
  }, [client, queryClient, session.user.username]);

  if (!notices.length) return null;
  const unitName = (code: string) => units.data?.name(code) ?? code;
  const dismiss = (id: string) => setNotices((prev) => prev.filter((n) => n.id !== id));
  // Urgent first: they must not hide behind older, calmer ones.
  const ordered = [...notices].sort((a, b) => Number(b.urgent) - Number(a.urgent));
  return (
    <div className="roster-notices" data-testid="roster-notices">
      {ordered.map((n) => (
        <div
          key={n.id}
          className={n.urgent ? 'roster-notice is-urgent' : 'roster-notice'}
          role={n.urgent ? 'alert' : 'status'}
          data-testid="gap-notice"
          data-urgent={n.urgent ? 'true' : 'false'}
          data-event-id={n.id}
        >
          <p>
            {n.urgent && <strong>{t('roster.notice.urgentPrefix')} </strong>}
            {t('roster.notice.gap', {
              position: positionLabel(n.position),
              unit: unitName(n.unit),
              from: formatDateTime(n.from).slice(0, 16),
              to: formatDateTime(n.to).slice(0, 16),
              present: n.present,
              required: n.required,
            })}
          </p>
          <div className="roster-notice-actions">
            {pathname !== '/roster' && (
              <Link to="/roster" search={{ unit: n.unit }}>
                {t('roster.notice.open')}
              </Link>
            )}
            <button type="button" onClick={() => dismiss(n.id)}>
              {t('roster.notice.dismiss')}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}

/**
 * The roster's one entry point in the console layout: a link to the roster view, and the
 * coverage-gap notices of the live socket the console already has.
 */
export function RosterEntry({ session, client }: { session: Session; client: LiveClient | null }) {
  const { t } = useI18n();
  return (
    <>
      <Link
        className="roster-entry"
        to="/roster"
        data-testid="roster-entry"
        aria-label={t('roster.entryLabel')}
      >
        {t('roster.entry')}
      </Link>
      <GapNotices session={session} client={client} />
    </>
  );
}
