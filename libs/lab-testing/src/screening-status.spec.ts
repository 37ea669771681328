import { cadenceDays, screeningState } from './screening-status';

const start = new Date('2021-08-01T00:00:00Z');
const at = (iso: string) => new Date(iso);

describe('screening due / overdue', () => {
  it('a never-tested target is due at the program start and overdue after the grace period', () => {
    const c = { cadenceDays: 1, graceHours: 24, startsAt: start };
    expect(screeningState(null, c, at('2021-07-31T23:00:00Z')).status).toBe('ok');
    expect(screeningState(null, c, at('2021-08-01T00:00:00Z')).status).toBe('due');
    expect(screeningState(null, c, at('2021-08-01T23:59:59Z')).status).toBe('due');
    expect(screeningState(null, c, at('2021-08-02T00:00:00Z'))).toEqual({
      dueAt: start,
      overdueAt: at('2021-08-02T00:00:00Z'),
      status: 'overdue',
    });
  });

  it('a daily target tested yesterday morning is due this morning; weekly after seven days', () => {
    const tested = at('2021-08-10T08:00:00Z');
    const daily = { cadenceDays: cadenceDays('daily'), graceHours: 12, startsAt: start };
    expect(screeningState(tested, daily, at('2021-08-11T07:00:00Z')).status).toBe('ok');
    expect(screeningState(tested, daily, at('2021-08-11T09:00:00Z')).status).toBe('due');
    expect(screeningState(tested, daily, at('2021-08-11T20:00:00Z')).status).toBe('overdue');
    const weekly = { cadenceDays: cadenceDays('weekly'), graceHours: 24, startsAt: start };
    expect(screeningState(tested, weekly, at('2021-08-16T08:00:00Z')).status).toBe('ok');
    expect(screeningState(tested, weekly, at('2021-08-17T08:00:00Z')).dueAt).toEqual(at('2021-08-17T08:00:00Z'));
    expect(screeningState(tested, weekly, at('2021-08-18T09:00:00Z')).status).toBe('overdue');
  });

  it('every N days; a test before the program start does not move the first due date earlier', () => {
    const c = { cadenceDays: cadenceDays('every-n-days', 3), graceHours: 0, startsAt: start };
    expect(c.cadenceDays).toBe(3);
    expect(screeningState(at('2021-07-01T00:00:00Z'), c, at('2021-07-20T00:00:00Z')).dueAt).toEqual(start);
    expect(screeningState(at('2021-08-05T00:00:00Z'), c, at('2021-08-07T23:00:00Z')).status).toBe('ok');
    expect(screeningState(at('2021-08-05T00:00:00Z'), c, at('2021-08-08T00:00:00Z')).status).toBe('overdue');
  });
});
