import { ROLES } from '@frontline/contracts';
import type { LoginResponse } from '@frontline/contracts';

/** The session survives a reload: the login answer is kept in localStorage under this key. */
export const SESSION_STORAGE_KEY = 'frontline.session';

export type Session = LoginResponse;

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const { accessToken, user } = value as Partial<Session>;
  return (
    typeof accessToken === 'string' &&
    accessToken.length > 0 &&
    typeof user === 'object' &&
    user !== null &&
    typeof user.username === 'string' &&
    (ROLES as readonly string[]).includes(user.role) &&
    typeof user.unit?.code === 'string' &&
    typeof user.unit.name === 'string'
  );
}

/** Seconds since the epoch at which a JWT expires, or null when the token carries no `exp`. */
function tokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

export function isExpired(session: Session, now = Date.now()): boolean {
  const exp = tokenExpiry(session.accessToken);
  return exp !== null && exp * 1000 <= now;
}

/** The stored session, or null when there is none, it is malformed or its token has expired. */
export function parseStoredSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isSession(value) && !isExpired(value) ? value : null;
  } catch {
    return null;
  }
}

export function loadSession(): Session | null {
  try {
    return parseStoredSession(localStorage.getItem(SESSION_STORAGE_KEY));
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  try {
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Without storage the session lasts until the page is reloaded.
  }
}

export function clearSession(): void {
  try {
    localStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}
