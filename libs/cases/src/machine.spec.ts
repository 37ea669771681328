import { addDays, refuseMove, refuseRelease } from './machine';

describe('case status machines', () => {
  it('lets contacts and F0 move along their own machine only', () => {
    expect(refuseMove('F1', 'identified', 'quarantined')).toBeNull();
    expect(refuseMove('F1', 'quarantined', 'tested')).toBeNull();
    expect(refuseMove('F0', 'admitted', 'treated')).toBeNull();
    expect(refuseMove('F0', 'treated', 'died')).toBeNull();
    expect(refuseMove('F1', 'quarantined', 'admitted')).toMatch(/not a transition/);
    expect(refuseMove('F0', 'admitted', 'quarantined')).toMatch(/not a transition/);
    expect(refuseMove('F0', 'proposed', 'treated')).toMatch(/proposal/);
    expect(refuseMove('F1', 'tested', 'confirmed')).toMatch(/confirm/);
  });

  it('has no way out of a final status', () => {
    for (const from of ['released', 'recovered', 'transferred', 'died'] as const)
      expect(refuseMove(from === 'released' ? 'F1' : 'F0', from, 'treated')).toMatch(/final status/);
  });

  it('releases a contact only at the end of monitoring with a negative exit test in the window', () => {
    const base = { classification: 'F1' as const, status: 'tested' as const, monitoringStart: '2021-08-01', monitoringDays: 14 };
    expect(addDays('2021-08-01', 14)).toBe('2021-08-15');
    expect(refuseRelease({ ...base, exitTestDay: '2021-08-14', today: '2021-08-14' })).toMatch(/runs until 2021-08-15/);
    expect(refuseRelease({ ...base, exitTestDay: null, today: '2021-08-15' })).toMatch(/no negative exit test taken on or after 2021-08-12/);
    expect(refuseRelease({ ...base, exitTestDay: '2021-08-11', today: '2021-08-15' })).toMatch(/exit test/);
    expect(refuseRelease({ ...base, exitTestDay: '2021-08-12', today: '2021-08-15' })).toBeNull();
    expect(refuseRelease({ ...base, classification: 'F0', status: 'admitted', exitTestDay: '2021-08-12', today: '2021-09-15' })).toMatch(
      /never released/,
    );
  });
});
