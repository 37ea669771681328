/**
 * A small iCalendar (RFC 5545) writer: just what a duty feed needs (VCALENDAR with VEVENTs of
 * UTC times), with TEXT escaping (§3.3.11) and line folding at 75 octets (§3.1).
 */

export interface IcalEvent {
  /** Globally unique and stable across regenerations of the feed. */
  uid: string;
  start: number;
  end: number;
  summary: string;
  description?: string;
  location?: string;
  /** Bumped when the event's content changes; not needed for a feed regenerated whole. */
  sequence?: number;
}

export interface IcalCalendar {
  /** PRODID, e.g. "-//Frontline//Duty roster//VI". */
  prodId: string;
  /** X-WR-CALNAME: the name calendar apps show. */
  name: string;
  /** Time of generation (DTSTAMP of every event). */
  stamp: number;
  /** X-WR-TIMEZONE: the zone calendar apps show the (UTC) times in, the deployment's. */
  timeZone: string;
  events: readonly IcalEvent[];
}

const encoder = new TextEncoder();
/** Control characters other than tab are not allowed in TEXT values. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** TEXT value escaping: backslash, semicolon, comma, and line breaks as `\n`. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(CONTROL_CHARS, '');
}

/**
 * Folds one content line: at most 75 octets per physical line, continuation lines start with a
 * space, never splitting a UTF-8 character (Vietnamese text is mostly multi-byte).
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** UTC date-time form: 20210830T000000Z. */
export function utcStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The whole calendar, CRLF line endings. */
export function serializeCalendar(cal: IcalCalendar): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${cal.prodId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    `X-WR-TIMEZONE:${cal.timeZone}`,
    // Calendar apps that honour it re-read the feed hourly.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  const stamp = utcStamp(cal.stamp);
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utcStamp(e.start)}`,
      `DTEND:${utcStamp(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.sequence !== undefined) lines.push(`SEQUENCE:${e.sequence}`);
    lines.push('TRANSP:OPAQUE', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** Reverses folding and escaping: what a calendar app reads (used by the tests). */
export function parseCalendar(text: string): Record<string, string>[] {
  const unfolded = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of unfolded) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      if (current) events.push(current);
      current = null;
    } else if (current) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).split(';')[0];
      current[name] = line
        .slice(i + 1)
        .replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
    }
  }
  return events;
}
