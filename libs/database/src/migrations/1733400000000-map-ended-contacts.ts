import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The F1 layer of `GET /api/v1/map/points` leaves out contacts whose case has ended (released,
 * or reclassified as F0 / cleared). It reads them as one short list: the contacts created in the
 * map's window whose case is no longer an F1 under monitoring. This partial index holds exactly
 * those, so the list costs an index scan however many cases the province has had.
 */
export class MapEndedContacts1733400000000 implements MigrationInterface {
  name = 'MapEndedContacts1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX cases_ended_contacts_idx ON cases (created_at) INCLUDE (id)
      WHERE source_case_id IS NOT NULL AND (classification <> 'F1' OR status = 'released')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS cases_ended_contacts_idx`);
  }
}
