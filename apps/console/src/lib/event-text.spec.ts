import { describe, expect, it } from '@jest/globals';
import { EVENT_TYPES } from '@frontline/contracts';
import type { I18n } from '../i18n/i18n';
import { LANGUAGES, MESSAGES, type Language } from '../i18n/messages';
import { eventTypeLabel } from './event-text';

function i18nIn(lang: Language): I18n {
  const messages: Record<string, string> = MESSAGES[lang];
  return {
    lang,
    setLang: () => undefined,
    t: (key) => messages[key],
    tMaybe: (key) => messages[key] ?? null,
    formatNumber: (value) => String(value),
  };
}

describe('event type labels', () => {
  it.each(LANGUAGES)('labels every registered event type in %s, never with its raw id', (lang) => {
    const i18n = i18nIn(lang);
    const unlabelled = EVENT_TYPES.filter((type) => eventTypeLabel(i18n, type) === type);
    expect(unlabelled).toEqual([]);
  });

  it('shows the dispatch events by their Vietnamese labels', () => {
    const vi = i18nIn('vi');
    expect(['task.created', 'team.status-changed', 'task.assigned'].map((type) => eventTypeLabel(vi, type))).toEqual([
      'Nhiệm vụ mới',
      'Trạng thái đội thay đổi',
      'Nhiệm vụ được giao',
    ]);
  });

  it('falls back to the id for a type this console does not know yet', () => {
    expect(eventTypeLabel(i18nIn('vi'), 'vaccination.given')).toBe('vaccination.given');
  });
});
