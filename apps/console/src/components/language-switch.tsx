import { useI18n } from '../i18n/i18n';

/** One button that switches between Vietnamese and English; the choice is remembered. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'vi' ? 'en' : 'vi';
  return (
    <button
      type="button"
      className="button button-quiet"
      data-testid="language-switch"
      data-lang={lang}
      lang={next}
      aria-label={t('lang.switchLabel')}
      onClick={() => setLang(next)}
    >
      {t('lang.switch')}
    </button>
  );
}
