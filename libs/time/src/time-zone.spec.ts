import { configureTimeZone, DEFAULT_TIME_ZONE, isTimeZone, localToInstant, timeZone, TimeZone } from './time-zone';

const iso = (ms: number) => new Date(ms).toISOString();

describe('TimeZone', () => {
  it('converts local wall-clock times with the zone\'s offset', () => {
    const tokyo = new TimeZone('Asia/Tokyo');
    expect(iso(tokyo.localToInstant('2022-02-01T07:00'))).toBe('2022-01-31T22:00:00.000Z');
    expect(iso(tokyo.localDateStart('2022-02-01'))).toBe('2022-01-31T15:00:00.000Z');
    expect(tokyo.localDateOf(Date.parse('2022-01-31T15:00:00Z'))).toBe('2022-02-01');
    expect(tokyo.localDateTimeOf(Date.parse('2022-01-31T22:00:00Z'))).toBe('2022-02-01T07:00');
    const bogota = new TimeZone('America/Bogota');
    expect(iso(bogota.localToInstant('2022-02-01T07:00'))).toBe('2022-02-01T12:00:00.000Z');
    expect(bogota.gmtLabel(Date.now())).toBe('GMT-5');
    expect(new TimeZone('Asia/Kolkata').gmtLabel(Date.now())).toBe('GMT+5:30');
    expect(new TimeZone(DEFAULT_TIME_ZONE).gmtLabel(Date.now())).toBe('GMT+7');
  });

  it('follows daylight saving where the zone has it (Europe/Berlin, 2022)', () => {
    const berlin = new TimeZone('Europe/Berlin');
    expect(iso(berlin.localToInstant('2022-01-15T07:00'))).toBe('2022-01-15T06:00:00.000Z');
    expect(iso(berlin.localToInstant('2022-07-15T07:00'))).toBe('2022-07-15T05:00:00.000Z');
    // The spring-forward night has a 23-hour local day; 02:30 does not exist and reads as 03:30.
    expect(berlin.localDateStart('2022-03-28') - berlin.localDateStart('2022-03-27')).toBe(23 * 3_600_000);
    expect(berlin.localDateTimeOf(berlin.localToInstant('2022-03-27T02:30'))).toBe('2022-03-27T03:30');
    // 02:30 on the fall-back night happens twice: the first one is meant.
    expect(iso(berlin.localToInstant('2022-10-30T02:30'))).toBe('2022-10-30T00:30:00.000Z');
  });

  it('refuses what is not a date, a time or a zone', () => {
    expect(() => new TimeZone('Asia/Atlantis')).toThrow(RangeError);
    expect(isTimeZone('Asia/Atlantis')).toBe(false);
    expect(() => new TimeZone('UTC').localToInstant('2023-02-29T07:00')).toThrow(RangeError);
    expect(() => new TimeZone('UTC').localDateStart('01/02/2023')).toThrow(RangeError);
  });

  it('runs the process in the configured zone', () => {
    try {
      expect(configureTimeZone('Asia/Tokyo')).toBe(timeZone());
      expect(iso(localToInstant('2022-02-01T07:00'))).toBe('2022-01-31T22:00:00.000Z');
    } finally {
      configureTimeZone(DEFAULT_TIME_ZONE);
    }
    expect(iso(localToInstant('2022-02-01T07:00'))).toBe('2022-02-01T00:00:00.000Z');
  });
});
