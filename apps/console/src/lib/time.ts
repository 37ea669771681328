/** Every time on the console is shown in the command centers' zone (glossary.md). */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

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

/** dd/MM/yyyy HH:mm:ss in Asia/Ho_Chi_Minh, the same for every language. */
export function formatDateTime(input: TimeInput): string {
  const p = clockParts(input);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}` : MISSING;
}

/** HH:mm:ss when `input` is today (Asia/Ho_Chi_Minh), otherwise the full date and time. */
export function formatRecent(input: TimeInput, now: TimeInput = Date.now()): string {
  const p = clockParts(input);
  if (!p) return MISSING;
  return dayKey(input) === dayKey(now)
    ? `${p.hour}:${p.minute}:${p.second}`
    : formatDateTime(input);
}

/** The calendar day of an instant in Asia/Ho_Chi_Minh, as yyyy-MM-dd ('' if invalid). */
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
