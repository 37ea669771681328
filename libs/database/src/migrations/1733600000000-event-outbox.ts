import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox leaves the event log. Marking a published event meant an UPDATE of the wide,
 * heavily indexed event_log row (not HOT: `published_at` is in a partial index's predicate),
 * about a third of the database work of an ingest. A narrow `event_outbox` holds the seq of
 * every committed event not yet in the stream instead: written by the statement that appends
 * the event, deleted once it is XADDed (docs/decisions/0029-unit-of-work-and-stream-consumers.md).
 */
export class EventOutbox1733600000000 implements MigrationInterface {
  name = 'EventOutbox1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE event_outbox (seq bigint PRIMARY KEY)`);
    await q.query(`INSERT INTO event_outbox (seq) SELECT seq FROM event_log WHERE published_at IS NULL`);
    await q.query(`DROP INDEX event_log_unpublished_idx`);
    await q.query(`ALTER TABLE event_log DROP COLUMN published_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_log ADD COLUMN published_at timestamptz`);
    await q.query(
      `UPDATE event_log SET published_at = recorded_at WHERE seq NOT IN (SELECT seq FROM event_outbox)`,
    );
    await q.query(`CREATE INDEX event_log_unpublished_idx ON event_log (seq) WHERE published_at IS NULL`);
    await q.query(`DROP TABLE event_outbox`);
  }
}
