import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { LAB_UPLOAD_ROLES } from '../lab/lab-api';
import type { Session } from '../session/session';

/** Roles that run the dispatch board (the api refuses the others). */
const DISPATCHER_ROLES: ReadonlySet<string> = new Set(['commander', 'duty-officer', 'admin']);

/**
 * The console's other screens (cases, lab uploads, screening, dispatch) behind one header
 * button: four links side by side do not fit the header of a 1366 px desk. Escape, a click
 * outside or choosing a link closes it; each link is an address (shareable, opens in a tab) that the router opens without a page load.
 */
export function ScreensMenu({ role }: { role: Session['user']['role'] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const links = [
    { to: '/cases', testId: 'cases-entry', label: t('cases.entry'), show: true },
    {
      to: '/dispatch',
      testId: 'dispatch-entry',
      label: t('dispatch.entry'),
      show: DISPATCHER_ROLES.has(role),
    },
    { to: '/lab', testId: 'lab-entry', label: t('lab.entry'), show: LAB_UPLOAD_ROLES.has(role) },
    { to: '/screening', testId: 'screening-entry', label: t('screening.entry'), show: true },
  ].filter((link) => link.show);

  return (
    <div className="screens-menu" ref={box}>
      <button
        type="button"
        className="button button-quiet"
        data-testid="screens-menu"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t('header.screens')} ▾
      </button>
      {open && (
        <nav className="screens-menu-list" aria-label={t('header.screens')}>
          {links.map((link) => (
            <Link
              key={link.to}
              to={link.to}
              data-testid={link.testId}
              onClick={() => setOpen(false)}
            >
              {link.label}
            </Link>
          ))}
        </nav>
      )}
    </div>
  );
}
