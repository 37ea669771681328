import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { LANGUAGES, MESSAGES } from './messages';
import type { Language, MessageKey } from './messages';

const STORAGE_KEY = 'frontline.lang';
const DEFAULT_LANGUAGE: Language = 'vi';

type Params = Record<string, string | number>;

export interface I18n {
  lang: Language;
  setLang: (lang: Language) => void;
  /** The string for `key` in the current language, with `{name}` placeholders filled. */
  t: (key: MessageKey, params?: Params) => string;
  /** Like `t` for a key built at run time (`source.${value}`); null when there is no such key. */
  tMaybe: (key: string, params?: Params) => string | null;
  formatNumber: (value: number) => string;
}

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function readStoredLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(readStoredLanguage);

  const setLang = useCallback((next: Language) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this page only.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const messages = MESSAGES[lang];
    const numbers = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US');
    const tMaybe = (key: string, params?: Params): string | null =>
      Object.hasOwn(messages, key) ? fill(messages[key as MessageKey], params) : null;
    return {
      lang,
      setLang,
      t: (key, params) => fill(messages[key], params),
      tMaybe,
      formatNumber: (n) => numbers.format(n),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n must be used inside <I18nProvider>');
  return i18n;
}
