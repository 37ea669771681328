import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source';
import { runMigrationsLocked } from '../migrate';
import { seedUnits } from '../seeds/units.seed';
import { ScratchDatabase } from '../testing/scratch-database';
import { MIGRATIONS } from './index';
import { LabForeignKeys1733100000000 } from './1733100000000-lab-foreign-keys';

describe('migration LabForeignKeys1733100000000 on a database with lab rows', () => {
  const scratch = new ScratchDatabase('fl_migration');
  beforeAll(() => scratch.create());
  afterAll(() => scratch.drop());

  it('keeps rows naming missing people (the key checks new rows only) and clears case ids that are not uuids', async () => {
    const earlier = MIGRATIONS.slice(0, MIGRATIONS.indexOf(LabForeignKeys1733100000000));
    const before = new DataSource({ ...dataSourceOptions(scratch.url, 2), migrations: earlier });
    await before.initialize();
    await runMigrationsLocked(before);
    await seedUnits(before);
    const insert = (person: string | null, caseId: string | null) =>
      before.query(
        `INSERT INTO lab_results (id, lab_code, sample_id, unit_code, unit_path, person_id, case_id, method, result,
                                  collected_at, resulted_at, event_id, recorded_by)
         VALUES ($1, 'QN-CDC', $2, '194', ARRAY['22', '194'], $3, $4, 'rt-pcr', 'negative', now(), now(), $5, 'user:x')`,
        [randomUUID(), `S-${randomUUID()}`, person, caseId, randomUUID()],
      );
    const orphan = randomUUID();
    await insert(orphan, 'F0-legacy');
    await before.destroy();

    const after = new DataSource({ ...dataSourceOptions(scratch.url, 2), migrations: MIGRATIONS });
    await after.initialize();
    try {
      await runMigrationsLocked(after);
      const keys: { conname: string; convalidated: boolean }[] = await after.query(
        `SELECT conname, convalidated FROM pg_constraint WHERE conname LIKE '%\\_fk' AND conrelid::regclass::text IN
           ('lab_results', 'lab_pool_members', 'retest_list', 'screening_enrolments') ORDER BY conname`,
      );
      expect(keys).toEqual([
        { conname: 'lab_pool_members_person_fk', convalidated: true },
        { conname: 'lab_results_case_fk', convalidated: true },
        { conname: 'lab_results_person_fk', convalidated: false },
        { conname: 'retest_list_person_fk', convalidated: true },
        { conname: 'screening_enrolments_person_fk', convalidated: true },
      ]);
      expect(await after.query('SELECT person_id, case_id FROM lab_results')).toEqual([{ person_id: orphan, case_id: null }]);
      // New rows are checked.
      await expect(
        after.query(
          `INSERT INTO lab_results (id, lab_code, sample_id, unit_code, unit_path, person_id, method, result, collected_at,
                                    resulted_at, event_id, recorded_by)
           VALUES ($1, 'QN-CDC', 'S-new', '194', ARRAY['22', '194'], $2, 'rt-pcr', 'negative', now(), now(), $3, 'user:x')`,
          [randomUUID(), randomUUID(), randomUUID()],
        ),
      ).rejects.toThrow(/lab_results_person_fk/);
    } finally {
      await after.destroy();
    }
  });
});
