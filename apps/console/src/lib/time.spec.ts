import { afterEach, describe, expect, it } from '@jest/globals';
import {
  DEFAULT_TIME_ZONE,
  dayKey,
  formatDateTime,
  formatRecent,
  setTimeZone,
  timeZone,
  zoneOffset,
} from './time';

describe('console time formatting', () => {
  afterEach(() => {
    setTimeZone(DEFAULT_TIME_ZONE);
  });

  it('shows dd/MM/yyyy HH:mm:ss in Asia/Ho_Chi_Minh by default, whatever the process zone', () => {
    expect(timeZone()).toBe('Asia/Ho_Chi_Minh');
    // 17:30 UTC is 00:30 the next day in Vietnam (UTC+7, no daylight saving).
    expect(formatDateTime('2026-11-20T17:30:05Z')).toBe('21/11/2026 00:30:05');
    expect(dayKey('2026-11-20T17:30:05Z')).toBe('2026-11-21');
    expect(formatRecent('2026-11-20T17:30:05Z', '2026-11-21T01:00:00Z')).toBe('00:30:05');
    expect(formatDateTime('not a date')).toBe('—');
  });

  it("uses the zone of the deployment's console-config, and ignores an unknown one", () => {
    expect(setTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(formatDateTime('2026-11-20T17:30:05Z')).toBe('21/11/2026 02:30:05');
    expect(setTimeZone('Not/AZone')).toBe('Asia/Tokyo');
    expect(setTimeZone(undefined)).toBe('Asia/Tokyo');
    setTimeZone('Asia/Ho_Chi_Minh');
    expect(formatDateTime('2026-11-20T17:30:05Z')).toBe('21/11/2026 00:30:05');
  });

  it("names the zone's offset for the wall clock's label (no daylight saving in Vietnam)", () => {
    expect(zoneOffset('2026-07-01T00:00:00Z')).toBe('GMT+7');
    expect(zoneOffset('2026-01-01T00:00:00Z')).toBe('GMT+7');
    setTimeZone('Europe/Berlin');
    expect(zoneOffset('2026-07-01T00:00:00Z')).toBe('GMT+2');
    expect(zoneOffset('2026-01-01T00:00:00Z')).toBe('GMT+1');
  });
});
