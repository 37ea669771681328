import { describe, expect, it } from '@jest/globals';
import type { LiveEvent, SnapshotResponse } from '@frontline/contracts';
import { initialLiveState, withBatch, withSnapshot } from './feed-state';

const counters = { f0Today: 0, f0Last7Days: 0, f1Active: 0, testsToday: 0, positivesToday: 0, openReports: 0 };
let seq = 0;
function live(type: string, payload: Record<string, unknown> = {}): LiveEvent {
  seq += 1;
  return {
    id: `e-${seq}`,
    type,
    unit: '194',
    unitPath: ['22', '194'],
    occurredAt: new Date().toISOString(),
    seq,
    payload,
    cursor: `epoch:${1000 + seq}-0`,
  } as LiveEvent;
}
const progressed = () =>
  live('lab-upload.progressed', { uploadId: 'u', status: 'processing', rowsDone: 2000, totalRows: 100000, committed: 2000, errors: 0 });

describe('feed state: progress events stay out of the feed', () => {
  const snapshot: SnapshotResponse = {
    unit: { code: '194', name: 'Móng Cái', level: 'district' },
    cursor: 'epoch:1000-0',
    generatedAt: new Date().toISOString(),
    day: '2021-08-30',
    counters,
    recent: [progressed(), live('test.resulted', { result: 'negative' })],
    unacknowledged: [],
  };

  it('drops lab-upload.progressed from a snapshot and from live batches', () => {
    const loaded = withSnapshot(initialLiveState('194'), snapshot, []);
    expect(loaded.items.map((i) => i.event.type)).toEqual(['test.resulted']);
    const next = withBatch(loaded, [progressed(), live('case.confirmed'), progressed()], snapshot.cursor, Date.now());
    expect(next.items.map((i) => i.event.type)).toEqual(['case.confirmed', 'test.resulted']);
    // A batch of progress only leaves the list as it was.
    const quiet = withBatch(next, [progressed()], snapshot.cursor, Date.now());
    expect(quiet.items).toBe(next.items);
  });
});
