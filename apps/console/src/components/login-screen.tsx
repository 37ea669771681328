import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { alarm } from '../alerts/alarm';
import { ApiError, api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { Session } from '../session/session';
import { LanguageSwitch } from './language-switch';

interface Props {
  /** A message to show above the form, e.g. that the previous session expired. */
  notice: MessageKey | null;
  onLoggedIn: (session: Session) => void;
}

interface LoginError {
  key: MessageKey;
  status?: number;
}

function loginError(error: unknown): LoginError {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 400) return { key: 'login.invalid' };
    if (error.status >= 502 && error.status <= 504) return { key: 'login.unreachable' };
    return { key: 'login.failed', status: error.status };
  }
  return { key: 'login.unreachable' };
}

export function LoginScreen({ notice, onLoggedIn }: Props) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LoginError | null>(null);
  // The page's timeline says when the form could be used (its script budget is counted to here).
  useEffect(() => {
    performance.mark('login:ready');
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    // The sign-in click is the user gesture browsers need before the alarm may sound.
    alarm.unlockWhenIdle();
    setBusy(true);
    setError(null);
    try {
      const session = await api.login({ username: username.trim(), password });
      onLoggedIn(session);
    } catch (caught) {
      setError(loginError(caught));
      setPassword('');
      setBusy(false);
    }
  };

  const message = error ? t(error.key, { status: error.status ?? '' }) : notice ? t(notice) : null;

  return (
    <main className="login">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-subtitle">{t('app.subtitle')}</span>
        </div>
        <form className="login-form" onSubmit={(event) => void submit(event)} aria-busy={busy}>
          <h1 className="login-heading">{t('login.heading')}</h1>
          <label className="field">
            <span className="field-label">{t('login.username')}</span>
            <input
              name="username"
              data-testid="login-username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              required
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('login.password')}</span>
            <input
              name="password"
              type="password"
              data-testid="login-password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          {message && (
            <p
              className={error ? 'form-message is-error' : 'form-message'}
              role="alert"
              data-testid={error ? 'login-error' : 'login-notice'}
            >
              {message}
            </p>
          )}
          <button
            type="submit"
            className="button button-primary"
            data-testid="login-submit"
            disabled={busy}
          >
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <div className="login-footer">
          <LanguageSwitch />
        </div>
      </div>
    </main>
  );
}
