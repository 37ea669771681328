import type { CSSProperties, MouseEvent, ReactNode } from 'react';
import type { Auth } from '../api/queries';
import type { Session } from '../session/session';
import { casesHref } from './case-routes';
import type { CasesRoute } from './case-routes';

/** Moves within the cases screen without reloading (history API); `search` for the list filters. */
export type Navigate = (route: CasesRoute, search?: string) => void;

export interface CasesContext {
  auth: Auth;
  /** May confirm proposals and read personal data (the API decides; this only hides buttons). */
  role: Session['user']['role'];
  unitName: (code: string) => string;
  navigate: Navigate;
}

/** An in-screen link: a real href (open in a new tab works), plain clicks stay in the page. */
export function CasesLink({
  to,
  search,
  navigate,
  children,
  ...rest
}: {
  to: CasesRoute;
  search?: string;
  navigate: Navigate;
  children: ReactNode;
  className?: string;
  style?: CSSProperties;
  'data-testid'?: string;
  'aria-label'?: string;
}) {
  const href = `${casesHref(to)}${search ?? ''}`;
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(to, search);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
