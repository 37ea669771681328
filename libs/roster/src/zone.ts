/**
 * Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975), so local wall-clock time
 * converts to an instant with a fixed offset: no time-zone database needed, and no local day is
 * ever 23 or 25 hours long.
 */
export const ZONE_OFFSET_MS = 7 * 3_600_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

function checked(
  y: number,
  m: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  text: string,
): number {
  const ms = Date.UTC(y, m - 1, d, h, mi, s);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== m - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    throw new RangeError(`not a valid local date/time: "${text}"`);
  }
  return ms - ZONE_OFFSET_MS;
}

/** "2022-02-01" (local date) -> the instant (epoch ms) of its local midnight. */
export function localDateStart(date: string): number {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`not a local date (YYYY-MM-DD): "${date}"`);
  return checked(+m[1], +m[2], +m[3], 0, 0, 0, date);
}

/** "2022-02-01T07:00" (local wall-clock time) -> epoch ms. */
export function localToInstant(dateTime: string): number {
  const m = LOCAL_DATE_TIME.exec(dateTime);
  if (!m) throw new RangeError(`not a local date-time (YYYY-MM-DDTHH:mm): "${dateTime}"`);
  return checked(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, dateTime);
}

/** The local date (YYYY-MM-DD) an instant falls on. */
export function localDateOf(instant: number): string {
  return new Date(instant + ZONE_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2022-02-01T07:00" for an instant, in local time. */
export function localDateTimeOf(instant: number): string {
  return new Date(instant + ZONE_OFFSET_MS).toISOString().slice(0, 16);
}

/** The local date after `date`. */
export function nextLocalDate(date: string): string {
  return localDateOf(localDateStart(date) + DAY_MS);
}
