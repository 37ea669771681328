import type { Session } from '../session/session';
import { useI18n } from '../i18n/i18n';
import type { UnitTree } from '../lib/unit-tree';
import type { LiveState } from '../realtime/feed-state';
import { Breadcrumb } from './breadcrumb';
import { ScreensMenu } from './screens-menu';
import { ConnectionStatus } from './connection-status';
import { LanguageSwitch } from './language-switch';
import { SoundToggle } from './sound-toggle';

interface Props {
  session: Session;
  live: LiveState;
  tree: UnitTree | undefined;
  unit: string | null;
  drill: boolean;
  onSelectUnit: (code: string) => void;
  onToggleDrill: () => void;
  onOpenWall: () => void;
  onLogout: () => void;
}

export function Header(props: Props) {
  const { t } = useI18n();
  const { user } = props.session;
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-subtitle">{t('app.subtitle')}</span>
      </div>
      <Breadcrumb
        tree={props.tree}
        unit={props.unit}
        fallbackName={user.unit.name}
        onSelect={props.onSelectUnit}
      />
      <ConnectionStatus connection={props.live.connection} lastEventAt={props.live.lastEventAt} />
      <div className="topbar-tools">
        <button
          type="button"
          className={props.drill ? 'button drill-toggle is-on' : 'button drill-toggle'}
          aria-pressed={props.drill}
          data-testid="drill-toggle"
          title={props.drill ? t('header.drillOn') : t('header.drillOff')}
          onClick={props.onToggleDrill}
        >
          {t('header.drill')}
        </button>
        <SoundToggle />
        <ScreensMenu role={user.role} />
        <button
          type="button"
          className="button button-quiet"
          data-testid="open-wall"
          aria-label={t('header.openWallLabel')}
          onClick={props.onOpenWall}
        >
          {t('header.openWall')}
        </button>
      </div>
      <div className="topbar-item user" aria-label={t('header.user')}>
        <strong data-testid="header-user">{user.displayName || user.username}</strong>
        <span className="topbar-label">
          <span data-testid="header-role" data-role={user.role}>
            {t(`role.${user.role}`)}
          </span>
          {' · '}
          <span data-testid="header-unit" title={t('header.jurisdiction')}>
            {user.unit.name}
          </span>
        </span>
      </div>
      <div className="topbar-actions">
        <LanguageSwitch />
        <button type="button" className="button" data-testid="logout" onClick={props.onLogout}>
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
