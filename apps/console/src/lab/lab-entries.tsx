import './lab.css';
import { useI18n } from '../i18n/i18n';
import type { Session } from '../session/session';
import { LAB_UPLOAD_ROLES } from './lab-api';

/** The header's links to the lab upload screen (roles that may upload) and the screening board. */
export function LabEntries({ role }: { role: Session['user']['role'] }) {
  const { t } = useI18n();
  return (
    <span className="lab-entries">
      {LAB_UPLOAD_ROLES.has(role) && (
        <a className="button button-quiet" href="/lab" data-testid="lab-entry" aria-label={t('lab.entryLabel')}>
          {t('lab.entry')}
        </a>
      )}
      <a className="button button-quiet" href="/screening" data-testid="screening-entry" aria-label={t('screening.entryLabel')}>
        {t('screening.entry')}
      </a>
    </span>
  );
}
