import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type {
  CaseClassification,
  CaseStatus,
  EventInput,
  GeoPoint,
  StoredEvent,
} from '@frontline/contracts';
import { dayIn, EventStore } from '@frontline/spine';
import { addDays, F0_ACTIVE, MONITORED, refuseMove, refuseRelease } from './machine';

export interface CaseRules {
  monitoringDays: Record<'F0' | 'F1' | 'F2' | 'suspected', number>;
  autoConfirmRtPcr: boolean;
  clusterMinSize: number;
  timeZone: string;
}

export interface CaseRow {
  id: string;
  person_id: string;
  classification: CaseClassification;
  status: CaseStatus;
  unit_code: string;
  unit_path: string[];
  monitoring_start: string;
  monitoring_days: number;
  exit_test_at: Date | null;
  proposal_test_id: string | null;
  source_case_id: string | null;
  cluster_id: string | null;
  repositive: boolean;
}

/** A refusal the api turns into 409 with this reason. */
export class CaseConflict extends Error {}

export interface NewCase {
  personId: string;
  classification: 'F0' | 'F1' | 'F2' | 'suspected';
  status?: CaseStatus;
  unitCode: string;
  unitPath: string[];
  isolation?: { kind: 'facility' | 'home'; place?: string | null };
  monitoringStart?: string;
  sourceCaseId?: string | null;
  exposure?: { date: string; setting: string; place?: string | null };
  method?: 'rt-pcr' | 'antigen';
  source?: 'community' | 'quarantine' | 'imported' | 'screening' | 'unknown';
  repositive?: boolean;
  proposalTestId?: string;
  ageBand?: '0-17' | '18-39' | '40-59' | '60+';
  sex?: 'male' | 'female' | 'unknown';
}

/**
 * The submitted event a change records (an integration's `case.confirmed` / `contact.identified`):
 * the event the engine writes for that fact keeps its id (idempotence by event id) and its time.
 */
export interface EventOrigin {
  eventId: string;
  occurredAt: string;
}

export interface TestFacts {
  testId: string;
  method: 'rt-pcr' | 'antigen';
  result: 'positive' | 'negative' | 'inconclusive';
  takenAt: string;
  eventId?: string | null;
}

/** Events with a point on the map's layers (F0, F1). */
const MAP_EVENT_TYPES: ReadonlySet<string> = new Set(['case.confirmed', 'contact.identified']);

const CASE_COLUMNS = `id, person_id, classification, status, unit_code, unit_path, monitoring_start::text AS monitoring_start,
  monitoring_days, exit_test_at, proposal_test_id, source_case_id, cluster_id, repositive`;

export function ageBand(birthYear: number | null | undefined, now = new Date()): NewCase['ageBand'] {
  if (!birthYear) return undefined;
  const age = now.getUTCFullYear() - birthYear;
  return age < 18 ? '0-17' : age < 40 ? '18-39' : age < 60 ? '40-59' : '60+';
}

/**
 * The case rules, shared by the api (a person acting) and the worker (the `test.resulted` rule
 * and the release check). Every method works inside the caller's transaction: it writes the
 * rows, the history and the events together and returns the events to publish after commit.
 */
export class CaseEngine {
  constructor(
    readonly store: EventStore,
    readonly rules: CaseRules,
  ) {}

  today(): string {
    return dayIn(this.rules.timeZone);
  }

  async load(em: EntityManager, id: string, lock = false): Promise<CaseRow | null> {
    const rows = (await em.query(
      `SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    )) as CaseRow[];
    return rows[0] ?? null;
  }

  /** The person's most recent case (the one a result without a case id applies to). */
  async latestOfPerson(em: EntityManager, personId: string): Promise<CaseRow | null> {
    const rows = (await em.query(
      `SELECT ${CASE_COLUMNS} FROM cases WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`,
      [personId],
    )) as CaseRow[];
    return rows[0] ?? null;
  }

  /**
   * Appends the case's events. The ones drawn on the map (an F0, an F1) carry the person's place,
   * rounded to about 100 m (3 decimals), so the map layers and the lockdown counts see cases
   * registered here; the exact place stays in `people`.
   */
  private async emit(
    em: EntityManager,
    c: { unit_code: string; unit_path: string[]; person_id?: string },
    actor: string,
    events: { type: string; payload: Record<string, unknown>; id?: string }[],
    occurredAt = new Date().toISOString(),
  ): Promise<StoredEvent[]> {
    const place = c.person_id && events.some((e) => MAP_EVENT_TYPES.has(e.type)) ? await this.mapPlace(em, c.person_id) : null;
    const result = await this.store.append(
      events.map((e) => ({
        input: {
          id: e.id,
          type: e.type,
          unit: c.unit_code,
          occurredAt,
          payload: e.payload,
          ...(place && MAP_EVENT_TYPES.has(e.type) ? { location: place } : {}),
        } as EventInput,
        unitPath: c.unit_path,
      })),
      actor,
      em,
    );
    return result.created;
  }

  private async mapPlace(em: EntityManager, personId: string): Promise<GeoPoint | null> {
    const [row] = (await em.query(
      `SELECT round(ST_Y(location::geometry)::numeric, 3)::float8 AS lat, round(ST_X(location::geometry)::numeric, 3)::float8 AS lon
       FROM people WHERE id = $1 AND location IS NOT NULL`,
      [personId],
    )) as GeoPoint[];
    return row ?? null;
  }

  private async history(
    em: EntityManager,
    caseId: string,
    from: { classification: CaseClassification | null; status: CaseStatus | null },
    to: { classification: CaseClassification; status: CaseStatus },
    actor: string,
    note: string | null,
    eventId: string | null,
  ): Promise<void> {
    await em.query(
      `INSERT INTO case_status_history (case_id, from_classification, to_classification, from_status, to_status, actor, note, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [caseId, from.classification, to.classification, from.status, to.status, actor, note, eventId],
    );
  }

  /**
   * Inserts a case, its first history row and its event (`case.confirmed` / `contact.identified` /
   * `case.proposed`); with `origin`, that event is the submitted one (its id, its time).
   */
  async create(
    em: EntityManager,
    input: NewCase,
    actor: string,
    origin?: EventOrigin,
  ): Promise<{ id: string; events: StoredEvent[] }> {
    const id = randomUUID();
    const classification = input.classification;
    const status: CaseStatus =
      input.status ?? (classification === 'F0' ? 'admitted' : input.isolation ? 'quarantined' : 'identified');
    const monitoringStart =
      input.monitoringStart ?? (classification !== 'F0' && input.exposure ? input.exposure.date : this.today());
    let clusterId: string | null = null;
    if (input.sourceCaseId) {
      const source = await this.load(em, input.sourceCaseId, true);
      if (!source) throw new CaseConflict(`no case with id "${input.sourceCaseId}"`);
      const expected = classification === 'F1' ? ['F0'] : classification === 'F2' ? ['F1'] : ['F0', 'F1', 'F2', 'suspected'];
      if (!expected.includes(source.classification))
        throw new CaseConflict(
          `an ${classification}'s source must be ${expected.join(' or ')}, case ${source.id} is ${source.classification}`,
        );
      clusterId = source.cluster_id;
    }
    await em.query(
      `INSERT INTO cases (id, person_id, classification, status, unit_code, unit_path, isolation_kind, isolation_place,
                          monitoring_start, monitoring_days, repositive, source_case_id, exposure_date, exposure_setting,
                          exposure_place, proposal_test_id, cluster_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        id,
        input.personId,
        classification,
        status,
        input.unitCode,
        input.unitPath,
        input.isolation?.kind ?? null,
        input.isolation?.place ?? null,
        monitoringStart,
        this.rules.monitoringDays[classification],
        input.repositive ?? false,
        input.sourceCaseId ?? null,
        input.exposure?.date ?? null,
        input.exposure?.setting ?? null,
        input.exposure?.place ?? null,
        input.proposalTestId ?? null,
        clusterId,
        actor,
      ],
    );
    const row = { unit_code: input.unitCode, unit_path: input.unitPath, person_id: input.personId };
    const id0 = origin?.eventId;
    const at = origin?.occurredAt;
    let events: StoredEvent[];
    if (status === 'proposed') {
      events = await this.emit(em, row, actor, [
        {
          id: id0,
          type: 'case.proposed',
          payload: {
            caseId: id,
            testId: input.proposalTestId ?? 'unknown',
            method: input.method ?? 'rt-pcr',
            repositive: input.repositive ?? false,
          },
        },
      ], at);
    } else if (classification === 'F0') {
      events = await this.emit(em, row, actor, [{ id: id0, type: 'case.confirmed', payload: this.confirmedPayload(id, input) }], at);
    } else if ((classification === 'F1' || classification === 'F2') && input.sourceCaseId && input.exposure) {
      events = await this.emit(em, row, actor, [
        {
          id: id0,
          type: 'contact.identified',
          payload: {
            contactId: id,
            classification,
            sourceCaseId: input.sourceCaseId,
            exposureDate: input.exposure.date,
            setting: input.exposure.setting,
          },
        },
      ], at);
    } else {
      events = await this.emit(em, row, actor, [
        { id: id0, type: 'case.status-changed', payload: { caseId: id, classification, to: status } },
      ], at);
    }
    await this.history(em, id, { classification: null, status: null }, { classification, status }, actor, null, events[0]?.id ?? null);
    if (input.sourceCaseId) events.push(...(await this.updateCluster(em, id, actor)));
    return { id, events };
  }

  private confirmedPayload(id: string, input: Pick<NewCase, 'method' | 'source' | 'repositive' | 'ageBand' | 'sex'>) {
    return {
      caseId: id,
      method: input.method ?? 'rt-pcr',
      source: input.source ?? 'community',
      ...(input.repositive ? { repositive: true } : {}),
      ...(input.ageBand ? { ageBand: input.ageBand } : {}),
      ...(input.sex && input.sex !== 'unknown' ? { sex: input.sex } : {}),
    };
  }

  /** A plain status move; 409 (CaseConflict) when the machine refuses it. */
  async move(em: EntityManager, c: CaseRow, to: CaseStatus, actor: string, note: string | null = null): Promise<StoredEvent[]> {
    if (to === 'released') return this.release(em, c, actor, false, note);
    const refusal = refuseMove(c.classification, c.status, to);
    if (refusal) throw new CaseConflict(refusal);
    const events = await this.emit(em, c, actor, [
      { type: 'case.status-changed', payload: { caseId: c.id, classification: c.classification, from: c.status, to } },
    ]);
    await em.query(`UPDATE cases SET status = $2, updated_at = now() WHERE id = $1`, [c.id, to]);
    await this.history(em, c.id, { classification: c.classification, status: c.status }, { classification: c.classification, status: to }, actor, note, events[0]?.id ?? null);
    c.status = to;
    return events;
  }

  /** Releases a contact at the end of monitoring with a negative exit test; otherwise 409 with why. */
  async release(em: EntityManager, c: CaseRow, actor: string, automatic: boolean, note: string | null = null): Promise<StoredEvent[]> {
    const refusal = refuseRelease({
      classification: c.classification,
      status: c.status,
      monitoringStart: c.monitoring_start,
      monitoringDays: c.monitoring_days,
      exitTestDay: c.exit_test_at ? dayIn(this.rules.timeZone, c.exit_test_at) : null,
      today: this.today(),
    });
    if (refusal) throw new CaseConflict(`not released: ${refusal}`);
    const events = await this.emit(em, c, actor, [
      { type: 'case.released', payload: { caseId: c.id, classification: c.classification, reason: 'exit-test', automatic } },
    ]);
    await em.query(`UPDATE cases SET status = 'released', proposal_test_id = NULL, updated_at = now() WHERE id = $1`, [c.id]);
    await this.history(em, c.id, { classification: c.classification, status: c.status }, { classification: c.classification, status: 'released' }, actor, note, events[0]?.id ?? null);
    c.status = 'released';
    return events;
  }

  /**
   * Makes the case an F0: a contact or suspected case is reclassified (one transition, its
   * history kept: `case.reclassified` then `case.confirmed`), a proposed F0 is admitted. With
   * `origin`, the `case.confirmed` is the submitted event (its id, its time).
   */
  async confirm(
    em: EntityManager,
    c: CaseRow,
    actor: string,
    test?: { testId?: string; method?: 'rt-pcr' | 'antigen'; source?: NewCase['source'] },
    origin?: EventOrigin,
  ): Promise<StoredEvent[]> {
    const testId = test?.testId ?? c.proposal_test_id ?? undefined;
    const method = test?.method ?? (await this.methodOf(em, c.id, testId)) ?? 'rt-pcr';
    if (c.classification === 'F0') {
      if (c.status !== 'proposed') throw new CaseConflict(`the case is already a confirmed F0 (${c.status})`);
      const events = await this.emit(
        em,
        c,
        actor,
        [{ id: origin?.eventId, type: 'case.confirmed', payload: this.confirmedPayload(c.id, { method, source: test?.source, repositive: c.repositive }) }],
        origin?.occurredAt,
      );
      await em.query(`UPDATE cases SET status = 'admitted', proposal_test_id = NULL, updated_at = now() WHERE id = $1`, [c.id]);
      await this.history(em, c.id, { classification: 'F0', status: 'proposed' }, { classification: 'F0', status: 'admitted' }, actor, testId ? `test ${testId}` : null, events[0]?.id ?? null);
      c.status = 'admitted';
      return events;
    }
    if (!MONITORED.includes(c.status))
      throw new CaseConflict(`the case is ${c.status}: no transition out of a final status (a new positive opens a new case)`);
    const source = test?.source ?? (c.classification === 'suspected' ? 'community' : 'quarantine');
    const events = await this.emit(
      em,
      c,
      actor,
      [
        { type: 'case.reclassified', payload: { caseId: c.id, from: c.classification, to: 'F0', ...(testId ? { testId } : {}) } },
        { id: origin?.eventId, type: 'case.confirmed', payload: this.confirmedPayload(c.id, { method, source }) },
      ],
      origin?.occurredAt,
    );
    await em.query(
      `UPDATE cases SET classification = 'F0', status = 'admitted', monitoring_start = $2, monitoring_days = $3,
              proposal_test_id = NULL, updated_at = now() WHERE id = $1`,
      [c.id, this.today(), this.rules.monitoringDays.F0],
    );
    await this.history(em, c.id, { classification: c.classification, status: c.status }, { classification: 'F0', status: 'admitted' }, actor, testId ? `test ${testId}` : null, events[0]?.id ?? null);
    c.classification = 'F0';
    c.status = 'admitted';
    return events;
  }

  private async methodOf(em: EntityManager, caseId: string, testId?: string): Promise<'rt-pcr' | 'antigen' | null> {
    if (!testId) return null;
    const rows = (await em.query(`SELECT method FROM case_tests WHERE case_id = $1 AND test_id = $2`, [caseId, testId])) as {
      method: 'rt-pcr' | 'antigen';
    }[];
    return rows[0]?.method ?? null;
  }

  /**
   * Records a result on a case once (by test id). A negative result of a contact under
   * monitoring is its exit test candidate and moves identified/quarantined to tested.
   * Returns whether it was new, and the events it caused.
   */
  async recordTest(em: EntityManager, c: CaseRow, t: TestFacts, actor: string): Promise<{ fresh: boolean; events: StoredEvent[] }> {
    const inserted = (await em.query(
      `INSERT INTO case_tests (case_id, test_id, method, result, taken_at, event_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING test_id`,
      [c.id, t.testId, t.method, t.result, t.takenAt, t.eventId ?? null],
    )) as unknown[];
    if (!inserted.length) return { fresh: false, events: [] };
    const events: StoredEvent[] = [];
    if (MONITORED.includes(c.status) && c.classification !== 'F0') {
      if (t.result === 'negative') {
        await em.query(
          `UPDATE cases SET exit_test_at = GREATEST(exit_test_at, $2::timestamptz), updated_at = now() WHERE id = $1`,
          [c.id, t.takenAt],
        );
        const [row] = (await em.query(`SELECT exit_test_at FROM cases WHERE id = $1`, [c.id])) as { exit_test_at: Date }[];
        c.exit_test_at = row.exit_test_at;
      }
      if (c.status !== 'tested') events.push(...(await this.move(em, c, 'tested', actor, `test ${t.testId}`)));
    }
    return { fresh: true, events };
  }

  /**
   * The rule for a result of a known case or person (worker, `test.resulted`): record it;
   * positive -> propose an F0 (or confirm it directly for RT-PCR when configured); negative at
   * the end of monitoring -> release.
   */
  async applyResult(em: EntityManager, target: { caseId?: string; personId?: string }, t: TestFacts, actor: string): Promise<StoredEvent[]> {
    const c = target.caseId ? await this.load(em, target.caseId, true) : target.personId ? await this.latestOfPerson(em, target.personId) : null;
    if (!c) return [];
    const recorded = await this.recordTest(em, c, t, actor);
    if (!recorded.fresh) return [];
    const events = [...recorded.events];
    const direct = this.rules.autoConfirmRtPcr && t.method === 'rt-pcr';
    if (t.result === 'positive') {
      if (c.classification === 'F0' && F0_ACTIVE.includes(c.status)) return events; // already a case
      if (c.classification !== 'F0' && MONITORED.includes(c.status)) {
        if (direct) return [...events, ...(await this.confirm(em, c, actor, { testId: t.testId, method: t.method }))];
        if (c.proposal_test_id) return events;
        await em.query(`UPDATE cases SET proposal_test_id = $2, updated_at = now() WHERE id = $1`, [c.id, t.testId]);
        c.proposal_test_id = t.testId;
        return [
          ...events,
          ...(await this.emit(em, c, actor, [
            { type: 'case.proposed', payload: { caseId: c.id, testId: t.testId, method: t.method, repositive: false } },
          ])),
        ];
      }
      // A finished case: positive again opens a new F0 (re-positive after recovery).
      const repositive = c.classification === 'F0' && c.status === 'recovered';
      const person = (await em.query(`SELECT unit_code, unit_path, birth_year, sex FROM people WHERE id = $1`, [c.person_id])) as {
        unit_code: string;
        unit_path: string[];
        birth_year: number | null;
        sex: 'male' | 'female' | 'unknown';
      }[];
      const created = await this.create(
        em,
        {
          personId: c.person_id,
          classification: 'F0',
          status: direct ? 'admitted' : 'proposed',
          unitCode: person[0]?.unit_code ?? c.unit_code,
          unitPath: person[0]?.unit_path ?? c.unit_path,
          method: t.method,
          repositive,
          proposalTestId: direct ? undefined : t.testId,
          ageBand: ageBand(person[0]?.birth_year),
          sex: person[0]?.sex,
        },
        actor,
      );
      await em.query(
        `INSERT INTO case_tests (case_id, test_id, method, result, taken_at, event_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [created.id, t.testId, t.method, t.result, t.takenAt, t.eventId ?? null],
      );
      return [...events, ...created.events];
    }
    if (t.result === 'negative' && MONITORED.includes(c.status) && c.classification !== 'F0') {
      const ends = addDays(c.monitoring_start, c.monitoring_days);
      if (this.today() >= ends) {
        try {
          events.push(...(await this.release(em, c, actor, true)));
        } catch (err) {
          if (!(err instanceof CaseConflict)) throw err;
        }
      }
    }
    return events;
  }

  /** Contacts whose monitoring has ended and whose exit test is negative: released (the scheduled check). */
  async releaseDue(em: EntityManager, actor: string, limit = 500): Promise<StoredEvent[]> {
    const today = this.today();
    const due = (await em.query(
      `SELECT ${CASE_COLUMNS} FROM cases
       WHERE status IN ('identified', 'quarantined', 'tested') AND classification <> 'F0'
         AND monitoring_start + monitoring_days <= $1::date AND exit_test_at IS NOT NULL
       ORDER BY monitoring_start LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [today, limit],
    )) as CaseRow[];
    const events: StoredEvent[] = [];
    for (const c of due) {
      try {
        events.push(...(await this.release(em, c, actor, true)));
      } catch (err) {
        if (!(err instanceof CaseConflict)) throw err;
      }
    }
    return events;
  }

  /**
   * Contacts have one source, so the graph is a forest and a component is the tree under its
   * root. After a new edge: size the tree; the first time it reaches the cluster size a
   * `case_clusters` row is inserted (ON CONFLICT: exactly once) with `cluster.detected`.
   */
  async updateCluster(em: EntityManager, caseId: string, actor: string): Promise<StoredEvent[]> {
    if (await joinClusterOf(em, caseId)) return [];
    const [root] = (await em.query(
      `WITH RECURSIVE up(id, source_case_id, n) AS (
         SELECT id, source_case_id, 0 FROM cases WHERE id = $1
         UNION ALL
         SELECT c.id, c.source_case_id, up.n + 1 FROM cases c JOIN up ON c.id = up.source_case_id WHERE up.n < 1000
       ) SELECT id FROM up WHERE source_case_id IS NULL LIMIT 1`,
      [caseId],
    )) as { id: string }[];
    if (!root) return [];
    // Serialise cluster accounting per tree.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('frontline:cluster:' || $1))`, [root.id]);
    const [stats] = (await em.query(
      `WITH RECURSIVE down(id, n) AS (
         SELECT id, 0 FROM cases WHERE id = $1
         UNION ALL
         SELECT c.id, down.n + 1 FROM cases c JOIN down ON c.source_case_id = down.id WHERE down.n < 1000
       ), members AS (SELECT c.classification, c.unit_code, c.unit_path FROM down JOIN cases c USING (id))
       SELECT (SELECT count(*) FROM members)::int AS size,
              (SELECT count(*) FROM members WHERE classification = 'F0')::int AS f0,
              (SELECT array_agg(DISTINCT unit_code ORDER BY unit_code) FROM members) AS units,
              (SELECT array_agg(DISTINCT array_to_string(unit_path, '/')) FROM members) AS paths`,
      [root.id],
    )) as { size: number; f0: number; units: string[]; paths: string[] }[];
    const { size, f0 } = stats;
    if (size < this.rules.clusterMinSize) return [];
    const clusterId = randomUUID();
    const inserted = (await em.query(
      `INSERT INTO case_clusters AS k (id, index_case_id, size, units, unit_paths, f0_count)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (index_case_id) DO UPDATE SET size = EXCLUDED.size, units = EXCLUDED.units,
         unit_paths = EXCLUDED.unit_paths, f0_count = EXCLUDED.f0_count, updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [clusterId, root.id, size, stats.units, [...new Set(stats.paths.flatMap((p) => p.split('/')))], f0],
    )) as { id: string; created: boolean }[];
    const cluster = inserted[0];
    await em.query(
      `WITH RECURSIVE down(id, n) AS (
         SELECT id, 0 FROM cases WHERE id = $1
         UNION ALL
         SELECT c.id, down.n + 1 FROM cases c JOIN down ON c.source_case_id = down.id WHERE down.n < 1000
       ) UPDATE cases SET cluster_id = $2 FROM down WHERE cases.id = down.id AND cases.cluster_id IS DISTINCT FROM $2`,
      [root.id, cluster.id],
    );
    if (!cluster.created) return [];
    // The event goes to the deepest unit containing every member, so each console that sees
    // part of the cluster sees it.
    const common = commonPrefix(stats.paths.map((p) => p.split('/')));
    return this.emit(em, { unit_code: common[common.length - 1], unit_path: common }, actor, [
      {
        type: 'cluster.detected',
        payload: { clusterId: cluster.id, indexCaseId: root.id, size, units: stats.units.slice(0, 200) },
      },
    ]);
  }
}

/**
 * A new case whose source is already in a cluster joins it in constant time: it is a leaf, so
 * the cluster grows by exactly this case (walking the whole tree again for every contact made
 * ingest quadratic in the size of a large cluster). Taken under the same per-tree lock as the
 * full count, so the two never interleave. False when the source is in no cluster yet.
 */
async function joinClusterOf(em: EntityManager, caseId: string): Promise<boolean> {
  const [found] = (await em.query(
    `SELECT k.id, k.index_case_id FROM cases c JOIN cases s ON s.id = c.source_case_id JOIN case_clusters k ON k.id = s.cluster_id
      WHERE c.id = $1`,
    [caseId],
  )) as { id: string; index_case_id: string }[];
  if (!found) return false;
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('frontline:cluster:' || $1))`, [found.index_case_id]);
  await em.query(
    `WITH joined AS (UPDATE cases SET cluster_id = $2 WHERE id = $1 RETURNING classification, unit_code, unit_path)
     UPDATE case_clusters k SET size = k.size + 1,
            f0_count = k.f0_count + (CASE WHEN j.classification = 'F0' THEN 1 ELSE 0 END),
            units = ARRAY(SELECT DISTINCT u FROM unnest(k.units || j.unit_code) AS u ORDER BY u),
            unit_paths = ARRAY(SELECT DISTINCT u FROM unnest(k.unit_paths || j.unit_path) AS u),
            updated_at = now()
       FROM joined j WHERE k.id = $2`,
    [caseId, found.id],
  );
  return true;
}

function commonPrefix(paths: string[][]): string[] {
  const [first, ...rest] = paths;
  let n = first.length;
  for (const p of rest) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, Math.max(n, 1));
}
