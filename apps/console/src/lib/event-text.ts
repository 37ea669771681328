import { EVENT_SEVERITY, eventLabelKey } from '@frontline/contracts';
import type { FeedEvent, Severity } from '@frontline/contracts';
import type { I18n } from '../i18n/i18n';

/** Severity is a property of the type; a type this console does not know yet is shown as info. */
export function severityOf(type: string): Severity {
  return Object.hasOwn(EVENT_SEVERITY, type)
    ? EVENT_SEVERITY[type as keyof typeof EVENT_SEVERITY]
    : 'info';
}

/** The type's label (the registry names its key); a type this console does not know yet shows its id. */
export function eventTypeLabel(i18n: I18n, type: string): string {
  return i18n.tMaybe(eventLabelKey(type)) ?? type;
}

/** The label of an enum value from a payload (`source.community`), or the raw value. */
function valueLabel(i18n: I18n, group: string, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return i18n.tMaybe(`${group}.${value}`) ?? value;
}

/**
 * A short, non-personal summary of an event's payload: codes and categories only, never
 * descriptions, names or phone numbers.
 */
export function eventSummary(i18n: I18n, event: FeedEvent): string {
  const p = event.payload;
  const parts: (string | null)[] = [];
  switch (event.type) {
    case 'case.confirmed':
      parts.push(valueLabel(i18n, 'source', p.source), valueLabel(i18n, 'method', p.method));
      if (p.repositive === true) parts.push(i18n.t('summary.repositive'));
      break;
    case 'contact.identified':
      parts.push(
        typeof p.classification === 'string' ? p.classification : null,
        valueLabel(i18n, 'setting', p.setting),
      );
      break;
    case 'test.resulted':
      parts.push(valueLabel(i18n, 'method', p.method), valueLabel(i18n, 'result', p.result));
      if (typeof p.poolSize === 'number') parts.push(i18n.t('summary.pool', { size: p.poolSize }));
      break;
    case 'report.received':
      parts.push(valueLabel(i18n, 'category', p.category), valueLabel(i18n, 'channel', p.channel));
      break;
  }
  return parts.filter((part): part is string => part !== null).join(' · ');
}
