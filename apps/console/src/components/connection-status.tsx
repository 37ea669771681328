import { useI18n } from '../i18n/i18n';
import { formatRecent } from '../lib/time';
import type { ConnectionState } from '../realtime/feed-state';

interface Props {
  connection: ConnectionState;
  lastEventAt: number | null;
}

/** The link to the server in one glance: state (colour, shape and word) and the last event. */
export function ConnectionStatus({ connection, lastEventAt }: Props) {
  const { t } = useI18n();
  return (
    <div
      className={`status status-${connection}`}
      data-testid="connection-status"
      data-state={connection}
      role="group"
      aria-label={t('status.label')}
    >
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">
        <strong role="status">{t(`status.${connection}`)}</strong>
        <span className="status-last" data-testid="last-event-time">
          {lastEventAt === null
            ? t('status.noEvent')
            : t('status.lastEvent', { time: formatRecent(lastEventAt) })}
        </span>
      </span>
    </div>
  );
}
