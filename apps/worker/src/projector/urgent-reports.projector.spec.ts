import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { EventInput, StoredEvent } from '@frontline/contracts';
import { createDataSource, runMigrationsLocked, seedUnits } from '@frontline/database';
import { EventStore } from '@frontline/spine';
import { applyUnitCounters } from './unit-counters.projector';
import { applyUrgentReports } from './urgent-reports.projector';
import { ScratchDatabase } from '@frontline/database/testing';

function report(category: string, extra: Partial<EventInput> = {}): EventInput {
  return {
    id: randomUUID(),
    type: 'report.received',
    unit: '194',
    occurredAt: new Date().toISOString(),
    payload: { channel: 'hotline', category, description: 'x' },
    ...extra,
  } as EventInput;
}

function acknowledgementOf(reportId: string): EventInput {
  return {
    id: randomUUID(),
    type: 'report.acknowledged',
    unit: '194',
    occurredAt: new Date().toISOString(),
    payload: { reportId },
  };
}

describe('projector against PostgreSQL: urgent reports and last event time', () => {
  const scratch = new ScratchDatabase('fl_projector');
  let ds: DataSource;
  let store: EventStore;

  const append = async (...inputs: EventInput[]): Promise<StoredEvent[]> =>
    (
      await store.append(
        inputs.map((input) => ({ input, unitPath: ['22', input.unit] })),
        'user:test',
      )
    ).created;
  const urgent = async (id: string) =>
    (
      await ds.query(
        'SELECT category, drill, acknowledged_at, acknowledgement_id FROM urgent_reports WHERE report_id = $1',
        [id],
      )
    )[0];

  beforeAll(async () => {
    await scratch.create();
    ds = createDataSource(scratch.url, 2);
    await ds.initialize();
    await runMigrationsLocked(ds);
    await seedUnits(ds);
    store = new EventStore(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await scratch.drop();
  });

  it('keeps urgent reports (drills flagged) and leaves the others out; applying twice changes nothing', async () => {
    const events = await append(
      report('illegal-entry'),
      report('other'),
      report('gathering', { drill: true }),
    );
    await ds.transaction((em) => applyUrgentReports(em, events));
    await ds.transaction((em) => applyUrgentReports(em, events));
    expect(await urgent(events[0].id)).toEqual({
      category: 'illegal-entry',
      drill: false,
      acknowledged_at: null,
      acknowledgement_id: null,
    });
    expect(await urgent(events[1].id)).toBeUndefined();
    expect(await urgent(events[2].id)).toEqual(expect.objectContaining({ drill: true }));
  });

  it('records an acknowledgement once, whether it is applied after its report or before it', async () => {
    const [inOrder, outOfOrder] = await append(report('suspected-case'), report('suspected-case'));
    const [ackInOrder, ackOutOfOrder] = await append(
      acknowledgementOf(inOrder.id),
      acknowledgementOf(outOfOrder.id),
    );

    await ds.transaction((em) => applyUrgentReports(em, [inOrder, ackInOrder]));
    // The report's own publish failed and the relay sent it after its acknowledgement.
    await ds.transaction((em) => applyUrgentReports(em, [ackOutOfOrder]));
    await ds.transaction((em) => applyUrgentReports(em, [outOfOrder]));

    for (const [r, a] of [
      [inOrder, ackInOrder],
      [outOfOrder, ackOutOfOrder],
    ]) {
      const row = await urgent(r.id);
      expect(row.acknowledgement_id).toBe(a.id);
      expect(row.acknowledged_at.toISOString()).toBe(a.occurredAt);
    }
  });

  it('the database refuses a second acknowledgement of one report, whatever its id', async () => {
    const [r] = await append(report('gathering'));
    await append(acknowledgementOf(r.id));
    await expect(append(acknowledgementOf(r.id))).rejects.toThrow(
      /event_log_report_acknowledged_idx/,
    );
  });

  it('keeps the latest event time per unit and its ancestors, never moving it back, drills aside', async () => {
    const now = Date.now();
    const at = (msAgo: number, drill = false) =>
      report('other', {
        occurredAt: new Date(now - msAgo).toISOString(),
        ...(drill ? { drill } : {}),
      });
    const [recent] = await append(at(60_000));
    const [older] = await append(at(3_600_000));
    const [drill] = await append(at(0, true));
    await ds.transaction((em) => applyUnitCounters(em, [recent], 'Asia/Ho_Chi_Minh'));
    await ds.transaction((em) => applyUnitCounters(em, [older, drill], 'Asia/Ho_Chi_Minh'));
    const rows: { unit_code: string; last_event_at: Date }[] = await ds.query(
      `SELECT unit_code, last_event_at FROM unit_live_counters WHERE unit_code IN ('22', '194') ORDER BY unit_code`,
    );
    expect(rows.map((r) => [r.unit_code, r.last_event_at.toISOString()])).toEqual([
      ['194', recent.occurredAt],
      ['22', recent.occurredAt],
    ]);
  });
});
