import { describe, expect, it } from '@jest/globals';
import { parseDayMonthYear } from './dates';

describe('dd/MM/yyyy day input', () => {
  it('reads a day as the API day', () => {
    expect(parseDayMonthYear('02/12/2026')).toBe('2026-12-02');
    expect(parseDayMonthYear(' 2/3/2021 ')).toBe('2021-03-02');
  });

  it('refuses what is not a calendar day', () => {
    expect(parseDayMonthYear('31/02/2026')).toBeNull();
    expect(parseDayMonthYear('2026-12-02')).toBeNull();
    expect(parseDayMonthYear('12/13/2026')).toBeNull();
    expect(parseDayMonthYear('')).toBeNull();
  });
});
