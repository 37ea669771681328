/**
 * Every time on the console is shown in the command centers' zone (glossary.md), whatever the
 * browser's own zone: Asia/Ho_Chi_Minh unless the deployment's console-config names another
 * (`FRONTLINE_TIMEZONE`), set once at start with setTimeZone.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

function formatIn(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}

let zone = DEFAULT_TIME_ZONE;
let partsFormat = formatIn(zone);

/**
 * Uses `timeZone` (an IANA name) for every date and time from now on; an unknown name keeps
 * the current zone. Returns the zone in use.
 */
export function setTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone || timeZone === zone) return zone;
  try {
    partsFormat = formatIn(timeZone);
    zone = timeZone;
  } catch {
    console.warn('time: unknown time zone, keeping', zone, timeZone);
  }
  return zone;
}

/** The zone dates and times are shown in. */
export function timeZone(): string {
  return zone;
}

/** The zone's offset from UTC at `at`, e.g. "GMT+7" ('' when the runtime cannot tell). */
export function zoneOffset(at: TimeInput = Date.now()): string {
  const date = at instanceof Date ? at : new Date(at);
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(date);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

interface ClockParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

type TimeInput = string | number | Date;

function clockParts(input: TimeInput): ClockParts | null {
  const date = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(date.getTime())) return null;
  const parts: Record<string, string> = {};
  for (const part of partsFormat.formatToParts(date)) parts[part.type] = part.value;
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
  };
}

const MISSING = '—';

/** dd/MM/yyyy HH:mm:ss in the console's zone, the same for every language. */
export function formatDateTime(input: TimeInput): string {
  const p = clockParts(input);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}` : MISSING;
}

/** HH:mm:ss when `input` is today (console's zone), otherwise the full date and time. */
export function formatRecent(input: TimeInput, now: TimeInput = Date.now()): string {
  const p = clockParts(input);
  if (!p) return MISSING;
  return dayKey(input) === dayKey(now)
    ? `${p.hour}:${p.minute}:${p.second}`
    : formatDateTime(input);
}

/** The calendar day of an instant in the console's zone, as yyyy-MM-dd ('' if invalid). */
export function dayKey(input: TimeInput): string {
  const p = clockParts(input);
  return p ? `${p.year}-${p.month}-${p.day}` : '';
}

/** Whole days from `from` to `to` (both yyyy-MM-dd); NaN when either is not a date. */
export function daysBetween(from: string, to: string): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/** A yyyy-MM-dd day key shown as dd/MM/yyyy. */
export function formatDayKey(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : day || MISSING;
}
