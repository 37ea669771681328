/*
 * Roster dates and times are local to the deployment's time zone (FRONTLINE_TIMEZONE): the
 * roster speaks through the one time module.
 */
export {
  DAY_MS,
  HOUR_MS,
  localDateOf,
  localDateStart,
  localDateTimeOf,
  localToInstant,
  nextLocalDate,
} from '@frontline/time';
