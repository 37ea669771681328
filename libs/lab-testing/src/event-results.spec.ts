import type { StoredEvent } from '@frontline/contracts';
import { needsRegistryRow, resultIdOfEvent } from './event-results';
import { eventIdOf } from './lab-result-writer';

const result = (id: string, testId: string, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  id,
  seq: 1,
  type: 'test.resulted',
  unit: '194',
  unitPath: ['22', '194'],
  occurredAt: '2026-12-08T01:00:00.000Z',
  recordedAt: '2026-12-08T01:00:01.000Z',
  actor: 'user:1',
  payload: { testId, sampleId: 'S-1', method: 'rt-pcr', result: 'negative' },
  ...extra,
});

describe('which test results still need their registry row', () => {
  const rowId = '0f5b7c1e-3a4d-4b8e-9c2f-6d1e8a7b5c40';

  it("skips the lab writer's own events, drills and other types", () => {
    expect(needsRegistryRow(result(eventIdOf(rowId), rowId))).toBe(false);
    expect(needsRegistryRow(result('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a', 'XN-1', { drill: true }))).toBe(false);
    expect(needsRegistryRow({ ...result('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a', 'XN-1'), type: 'case.confirmed' })).toBe(false);
  });

  it("takes an integration's result, even one naming a lab row's id as its test", () => {
    expect(needsRegistryRow(result('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a', 'XN-1'))).toBe(true);
    expect(needsRegistryRow(result('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a', rowId))).toBe(true);
  });

  it('gives one event one row id, whoever writes it', () => {
    expect(resultIdOfEvent('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a')).toBe(resultIdOfEvent('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a'));
    expect(resultIdOfEvent('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a')).not.toBe(eventIdOf('5d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b0a'));
  });
});
