import { EventFactory } from './support/factories';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const UNITS = ['193', '194', '195', '196', '205', '206'];
const TOTAL = 10_000;
/** A multiple of the mix's cycle (20): a contact never names an F0 of the other request in flight. */
const BATCH = 200;

describe('fault: kill -9 the worker while 10,000 events are ingested', () => {
  const stack = new TestStack({ processes: true });
  beforeAll(() => stack.start(), 60_000);
  afterAll(() => stack.stop());

  it('keeps every event exactly once in PostgreSQL and in the projections after a restart', async () => {
    const events = Array.from({ length: TOTAL }, (_, i) => EventFactory.mixed(i, UNITS[i % UNITS.length]));
    const expected = {
      f0: events.filter((e) => e.type === 'case.confirmed').length,
      tests: events.filter((e) => e.type === 'test.resulted').length,
      reports: events.filter((e) => e.type === 'report.received').length,
      f1: events.filter((e) => e.type === 'contact.identified').length,
    };

    let accepted = 0;
    const ingest = (async () => {
      for (let i = 0; i < TOTAL; i += BATCH * 2) {
        // Two requests in flight at a time.
        const results = await Promise.all([
          stack.postEvents('province.duty', events.slice(i, i + BATCH)),
          stack.postEvents('province.duty', events.slice(i + BATCH, i + 2 * BATCH)),
        ]);
        accepted += results.reduce((n, r) => n + r.accepted.length, 0);
      }
    })();

    await waitFor('a third of the events accepted', () => accepted >= TOTAL / 3, 60_000, 10);
    await stack.worker.kill9();
    // The api goes on accepting while the worker is down: a few more requests, then the restart.
    const atKill = accepted;
    await waitFor('events accepted while the worker is down', () => accepted >= atKill + 4 * BATCH, 60_000, 10);
    await stack.worker.start();
    await ingest;
    expect(accepted).toBe(TOTAL);

    // PostgreSQL: each event once (the submitted ones; the rules add tracing tasks of their own).
    expect(await stack.submittedEvents()).toBe(TOTAL);
    expect(await stack.count(`SELECT count(DISTINCT id) FROM event_log WHERE actor LIKE 'user:%'`)).toBe(TOTAL);

    // Projections: each event applied once (receipts and counters agree with what was sent).
    await waitFor('projector to catch up', async () => (await stack.projectedSubmittedEvents()) === TOTAL, 60_000, 250);
    const { rows } = await stack.db.query(
      `SELECT sum(f0)::int AS f0, sum(f1)::int AS f1, sum(tests)::int AS tests, sum(reports)::int AS reports
       FROM unit_daily_counters WHERE unit_code = '22'`,
    );
    expect(rows[0]).toEqual(expected);
    const live = await stack.db.query(`SELECT f1_active, open_reports FROM unit_live_counters WHERE unit_code = '22'`);
    expect(live.rows[0]).toEqual({ f1_active: expected.f1, open_reports: expected.reports });
    // Every district's row sums to the province's.
    const districts = await stack.count(`SELECT sum(f0) FROM unit_daily_counters WHERE unit_code <> '22'`);
    expect(districts).toBe(expected.f0);
    // Nothing left pending in the consumer group once it caught up.
    await waitFor('no pending entries', async () => {
      const pending = (await stack.redis.xpending(`${stack.prefix}events`, 'projector')) as [number];
      return Number(pending[0]) === 0;
    }, 20_000, 250);
  });
});
