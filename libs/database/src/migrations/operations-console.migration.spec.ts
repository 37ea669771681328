import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source';
import { runMigrationsLocked } from '../migrate';
import { seedUnits } from '../seeds/units.seed';
import { InitialSchema1732300000000 } from './1732300000000-initial-schema';
import { OperationsConsole1732400000000 } from './1732400000000-operations-console';
import { ScratchDatabase } from '../testing/scratch-database';

describe('migration OperationsConsole1732400000000 on a database with history', () => {
  const scratch = new ScratchDatabase('fl_migration');

  beforeAll(async () => {
    await scratch.create();
  });

  afterAll(async () => {
    await scratch.drop();
  });

  it('rebuilds urgent reports and last event times from the events the projector had applied', async () => {
    const before = new DataSource({
      ...dataSourceOptions(scratch.url, 2),
      migrations: [InitialSchema1732300000000],
    });
    await before.initialize();
    await runMigrationsLocked(before);
    await seedUnits(before);
    const [applied, acknowledged, pending, minor, ack] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const insert = (id: string, type: string, payload: object, minutesAgo = 5) =>
      before.query(
        `INSERT INTO event_log (id, type, unit_code, unit_path, occurred_at, actor, payload)
         VALUES ($1, $2, '194', ARRAY['22', '194'], now() - make_interval(mins => $3), 'user:x', $4)`,
        [id, type, minutesAgo, JSON.stringify(payload)],
      );
    await insert(
      applied,
      'report.received',
      { channel: 'hotline', category: 'illegal-entry', description: 'x' },
      30,
    );
    await insert(
      acknowledged,
      'report.received',
      { channel: 'hotline', category: 'gathering', description: 'x' },
      20,
    );
    await insert(
      minor,
      'report.received',
      { channel: 'hotline', category: 'other', description: 'x' },
      10,
    );
    await insert(ack, 'report.acknowledged', { reportId: acknowledged }, 5);
    // Committed but not yet projected: the projector will insert it itself.
    await insert(
      pending,
      'report.received',
      { channel: 'hotline', category: 'illegal-entry', description: 'x' },
      1,
    );
    await before.query(
      `INSERT INTO consumer_receipts (consumer, event_id) SELECT 'projector', unnest($1::uuid[])`,
      [[applied, acknowledged, minor, ack]],
    );
    await before.destroy();

    // Exactly this migration on top of the first, whatever later migrations exist.
    const after = new DataSource({
      ...dataSourceOptions(scratch.url, 2),
      migrations: [InitialSchema1732300000000, OperationsConsole1732400000000],
    });
    await after.initialize();
    try {
      expect(await runMigrationsLocked(after)).toEqual(['OperationsConsole1732400000000']);
      const reports: { report_id: string; acknowledgement_id: string | null }[] = await after.query(
        'SELECT report_id, acknowledgement_id FROM urgent_reports ORDER BY received_at',
      );
      expect(reports).toEqual([
        { report_id: applied, acknowledgement_id: null },
        { report_id: acknowledged, acknowledgement_id: ack },
      ]);
      const live: { unit_code: string; minutes: number }[] = await after.query(
        `SELECT unit_code, round(extract(epoch FROM now() - last_event_at) / 60)::int AS minutes
         FROM unit_live_counters ORDER BY unit_code`,
      );
      expect(live).toEqual([
        { unit_code: '194', minutes: 5 },
        { unit_code: '22', minutes: 5 },
      ]);
    } finally {
      await after.destroy();
    }
  });
});
