import { compareStreamIds, formatCursor, parseCursor } from './cursor';

describe('cursor', () => {
  it('round-trips epoch and stream id', () => {
    expect(parseCursor(formatCursor('ab12', '1700000000000-3'))).toEqual({
      epoch: 'ab12',
      streamId: '1700000000000-3',
    });
  });

  it('rejects malformed cursors', () => {
    for (const bad of ['', 'nocolon', ':1-1', 'ab:1700', 'ab:x-1', 42, null]) {
      expect(parseCursor(bad)).toBeNull();
    }
  });

  it('orders stream ids numerically, not as text', () => {
    expect(compareStreamIds('999-0', '1000-0')).toBe(-1);
    expect(compareStreamIds('1000-10', '1000-9')).toBe(1);
    expect(compareStreamIds('1000-1', '1000-1')).toBe(0);
  });
});
