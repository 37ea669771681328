import type { Session } from '../session/session';
import { useI18n } from '../i18n/i18n';
import type { LiveState } from '../realtime/feed-state';
import { ConnectionStatus } from './connection-status';
import { LanguageSwitch } from './language-switch';

interface Props {
  session: Session;
  live: LiveState;
  onLogout: () => void;
}

export function Header({ session, live, onLogout }: Props) {
  const { t } = useI18n();
  const { user } = session;
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-subtitle">{t('app.subtitle')}</span>
      </div>
      <div className="topbar-item jurisdiction">
        <span className="topbar-label">{t('header.jurisdiction')}</span>
        <strong data-testid="header-unit">{user.unit.name}</strong>
      </div>
      <ConnectionStatus connection={live.connection} lastEventAt={live.lastEventAt} />
      <div className="topbar-item user" aria-label={t('header.user')}>
        <strong data-testid="header-user">{user.displayName || user.username}</strong>
        <span className="topbar-label" data-testid="header-role" data-role={user.role}>
          {t(`role.${user.role}`)}
        </span>
      </div>
      <div className="topbar-actions">
        <LanguageSwitch />
        <button type="button" className="button" data-testid="logout" onClick={onLogout}>
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
