/**
 * Local time in the deployment's time zone (FRONTLINE_TIMEZONE, an IANA name). Rosters, calendar
 * feeds, the duty page, escalation targets and handovers speak in local wall-clock dates and
 * times ("2022-02-01T07:00"); this module turns them into instants and back with the zone's
 * real offsets (Intl's time-zone database, so daylight saving is followed where a zone has it).
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
/** Offsets change only at transitions, which real zones place on quarter hours. */
const OFFSET_BUCKET_MS = 15 * 60_000;
const MAX_CACHED_OFFSETS = 50_000;

/** Whether `name` is a time zone this runtime knows (e.g. "Asia/Ho_Chi_Minh", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export class TimeZone {
  private readonly fields: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly name: string) {
    if (!isTimeZone(name)) throw new RangeError(`unknown time zone: "${name}"`);
    this.fields = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** How far local wall-clock time is ahead of UTC at an instant (ms; negative west of Greenwich). */
  offsetAt(instant: number): number {
    const bucket = Math.floor(instant / OFFSET_BUCKET_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * OFFSET_BUCKET_MS;
      const part = Object.fromEntries(this.fields.formatToParts(at).map((p) => [p.type, Number(p.value)]));
      offset = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second) - at;
      if (this.offsets.size >= MAX_CACHED_OFFSETS) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  /** "2022-02-01" (local date) -> the instant (epoch ms) of its local midnight. */
  localDateStart(date: string): number {
    const m = LOCAL_DATE.exec(date);
    if (!m) throw new RangeError(`not a local date (YYYY-MM-DD): "${date}"`);
    return this.instantOf(+m[1], +m[2], +m[3], 0, 0, 0, date);
  }

  /** "2022-02-01T07:00" (local wall-clock time) -> epoch ms. */
  localToInstant(dateTime: string): number {
    const m = LOCAL_DATE_TIME.exec(dateTime);
    if (!m) throw new RangeError(`not a local date-time (YYYY-MM-DDTHH:mm): "${dateTime}"`);
    return this.instantOf(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, dateTime);
  }

  /** The local date (YYYY-MM-DD) an instant falls on. */
  localDateOf(instant: number): string {
    return new Date(instant + this.offsetAt(instant)).toISOString().slice(0, 10);
  }

  /** "2022-02-01T07:00" for an instant, in local time. */
  localDateTimeOf(instant: number): string {
    return new Date(instant + this.offsetAt(instant)).toISOString().slice(0, 16);
  }

  /** The offset at an instant as readers see it: "GMT+7", "GMT-5", "GMT+5:30". */
  gmtLabel(instant: number): string {
    const minutes = Math.round(this.offsetAt(instant) / 60_000);
    const abs = Math.abs(minutes);
    const rest = abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : '';
    return `GMT${minutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${rest}`;
  }

  /** The local date after `date`. */
  nextLocalDate(date: string): string {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  }

  /**
   * The instant of a local wall-clock time. A time skipped by a daylight-saving jump is read
   * with the offset before the jump (02:30 on a spring-forward night is 03:30); a repeated one
   * is its first occurrence.
   */
  private instantOf(y: number, m: number, d: number, h: number, mi: number, s: number, text: string): number {
    const wall = Date.UTC(y, m - 1, d, h, mi, s);
    const back = new Date(wall);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
      throw new RangeError(`not a valid local date/time: "${text}"`);
    }
    const before = this.offsetAt(wall - this.offsetAt(wall) - DAY_MS / 2);
    const after = this.offsetAt(wall - this.offsetAt(wall) + DAY_MS / 2);
    // Around a transition the two candidates differ; keep the one that reads back as `wall`.
    for (const offset of before >= after ? [before, after] : [after, before]) {
      const instant = wall - offset;
      if (instant + this.offsetAt(instant) === wall) return instant;
    }
    return wall - before;
  }
}

let configured = new TimeZone(DEFAULT_TIME_ZONE);

/** Sets the process's time zone: called once, when the configuration is loaded. */
export function configureTimeZone(name: string): TimeZone {
  if (configured.name !== name) configured = new TimeZone(name);
  return configured;
}

/** The deployment's time zone (FRONTLINE_TIMEZONE). */
export function timeZone(): TimeZone {
  return configured;
}

/* The local-time operations in the configured zone, for code that speaks in local dates. */
export const localDateStart = (date: string): number => configured.localDateStart(date);
export const localToInstant = (dateTime: string): number => configured.localToInstant(dateTime);
export const localDateOf = (instant: number): string => configured.localDateOf(instant);
export const localDateTimeOf = (instant: number): string => configured.localDateTimeOf(instant);
export const nextLocalDate = (date: string): string => configured.nextLocalDate(date);
