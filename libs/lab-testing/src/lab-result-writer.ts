import type { EntityManager } from 'typeorm';
import type { EventInput, RetestEntry, StoredEvent } from '@frontline/contracts';
import type { AppendItem, EventStore } from '@frontline/spine';
import { derivedId } from './derived-id';

/** One result ready to commit: validated, unit resolved, id chosen. */
export interface ResultToWrite {
  id: string;
  labCode: string;
  sampleId: string;
  unit: string;
  unitPath: string[];
  method: 'rt-pcr' | 'antigen';
  result: 'positive' | 'negative' | 'inconclusive';
  collectedAt: string;
  resultedAt: string;
  personId?: string;
  caseId?: string;
  poolId?: string;
  programId?: string;
  siteId?: string;
  uploadId?: string;
  uploadRow?: number;
}

export interface WriteOutcome {
  /** Committed by this call (each with its `test.resulted`). */
  inserted: ResultToWrite[];
  /** The same id was already committed (a repeated chunk): nothing written, not an error. */
  alreadyCommitted: ResultToWrite[];
  /** Another result holds this (lab, sample): nothing written. */
  duplicateSample: ResultToWrite[];
  /** Retest entries opened by the inserted results. */
  retests: RetestEntry[];
  /** Events appended in the caller's transaction, to publish after its commit. */
  created: StoredEvent[];
}

/** The event id of a result's `test.resulted`, of a retest's `retest.required`. */
export const eventIdOf = (rowId: string): string => derivedId('event', rowId);

interface PoolMember {
  pool_id: string;
  person_id: string;
  sample_id: string | null;
}

/**
 * Commits lab results in the caller's transaction: the rows, one `test.resulted` each, the
 * retest rules (antigen positive -> RT-PCR confirmation; positive pool -> every member), the
 * closing of open retests by a later RT-PCR result, and the `retest.required` events. Rows
 * whose id or (lab, sample) already exists are skipped (ON CONFLICT DO NOTHING) and reported.
 */
export async function writeLabResults(
  em: EntityManager,
  store: EventStore,
  results: ResultToWrite[],
  actor: string,
  extraEvents: AppendItem[] = [],
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { inserted: [], alreadyCommitted: [], duplicateSample: [], retests: [], created: [] };
  if (!results.length && !extraEvents.length) return outcome;

  const rows: { id: string }[] = results.length
    ? await em.query(
        `INSERT INTO lab_results (id, lab_code, sample_id, unit_code, unit_path, person_id, case_id, method, result,
                                  collected_at, resulted_at, pool_id, program_id, site_id, upload_id, upload_row,
                                  event_id, recorded_by)
           SELECT t.id, t.lab, t.sample, t.unit, string_to_array(t.path, '/'), t.person, t.case_id, t.method,
                  t.result, t.collected, t.resulted, t.pool, t.program, t.site, t.upload, t.upload_row, t.event_id, $18
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[],
                       $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::uuid[], $13::uuid[],
                       $14::uuid[], $15::uuid[], $16::int[], $17::uuid[])
                AS t(id, lab, sample, unit, path, person, case_id, method, result, collected, resulted, pool,
                     program, site, upload, upload_row, event_id)
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          results.map((r) => r.id),
          results.map((r) => r.labCode),
          results.map((r) => r.sampleId),
          results.map((r) => r.unit),
          results.map((r) => r.unitPath.join('/')),
          results.map((r) => r.personId ?? null),
          results.map((r) => r.caseId ?? null),
          results.map((r) => r.method),
          results.map((r) => r.result),
          results.map((r) => r.collectedAt),
          results.map((r) => r.resultedAt),
          results.map((r) => r.poolId ?? null),
          results.map((r) => r.programId ?? null),
          results.map((r) => r.siteId ?? null),
          results.map((r) => r.uploadId ?? null),
          results.map((r) => r.uploadRow ?? null),
          results.map((r) => eventIdOf(r.id)),
          actor,
        ],
      )
    : [];
  const insertedIds = new Set(rows.map((r) => r.id));
  const skipped = results.filter((r) => !insertedIds.has(r.id));
  if (skipped.length) {
    const existing: { id: string }[] = await em.query('SELECT id FROM lab_results WHERE id = ANY($1::uuid[])', [
      skipped.map((r) => r.id),
    ]);
    const existingIds = new Set(existing.map((r) => r.id));
    for (const r of skipped) (existingIds.has(r.id) ? outcome.alreadyCommitted : outcome.duplicateSample).push(r);
  }
  outcome.inserted = results.filter((r) => insertedIds.has(r.id));

  // Pool members, for pool sizes and positive pools.
  const poolIds = [...new Set(outcome.inserted.flatMap((r) => (r.poolId ? [r.poolId] : [])))];
  const members = new Map<string, PoolMember[]>();
  if (poolIds.length) {
    const memberRows: PoolMember[] = await em.query(
      'SELECT pool_id, person_id, sample_id FROM lab_pool_members WHERE pool_id = ANY($1::uuid[]) ORDER BY person_id',
      [poolIds],
    );
    for (const m of memberRows) members.set(m.pool_id, [...(members.get(m.pool_id) ?? []), m]);
  }

  const events: AppendItem[] = outcome.inserted.map((r) => {
    const poolSize = r.poolId ? members.get(r.poolId)?.length : undefined;
    const input: EventInput = {
      id: eventIdOf(r.id),
      type: 'test.resulted',
      unit: r.unit,
      occurredAt: r.resultedAt,
      payload: {
        testId: r.id,
        sampleId: r.sampleId,
        method: r.method,
        result: r.result,
        labCode: r.labCode,
        ...(r.poolId ? { poolId: r.poolId } : {}),
        ...(poolSize && poolSize >= 2 ? { poolSize } : {}),
        ...(r.caseId ? { caseId: r.caseId } : {}),
        ...(r.personId ? { personId: r.personId } : {}),
      },
    };
    return { input, unitPath: r.unitPath };
  });

  // Retest rules.
  const retests: (RetestEntry & { sourceCollectedAt: string; unitPath: string[] })[] = [];
  for (const r of outcome.inserted) {
    if (r.result !== 'positive') continue;
    const base = {
      sourceTestId: r.id,
      unit: r.unit,
      unitPath: r.unitPath,
      sourceCollectedAt: r.collectedAt,
      requiredMethod: 'rt-pcr' as const,
      status: 'open' as const,
      createdAt: new Date().toISOString(),
      resolvedByTestId: null,
    };
    if (r.poolId) {
      for (const m of members.get(r.poolId) ?? []) {
        retests.push({
          ...base,
          id: derivedId('retest', r.id, m.person_id),
          reason: 'pool-positive',
          personId: m.person_id,
          sampleId: m.sample_id ?? r.sampleId,
          poolId: r.poolId,
        });
      }
    } else if (r.method === 'antigen') {
      retests.push({
        ...base,
        id: derivedId('retest', r.id, r.personId ?? ''),
        reason: 'antigen-confirmation',
        personId: r.personId ?? null,
        sampleId: r.sampleId,
        poolId: null,
      });
    }
  }
  if (retests.length) {
    const created: { id: string; created_at: Date }[] = await em.query(
      `INSERT INTO retest_list (id, reason, person_id, sample_id, pool_id, source_result_id, source_collected_at,
                                unit_code, unit_path)
         SELECT t.id, t.reason, t.person, t.sample, t.pool, t.source, t.collected, t.unit, string_to_array(t.path, '/')
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::timestamptz[],
                     $8::text[], $9::text[]) AS t(id, reason, person, sample, pool, source, collected, unit, path)
       ON CONFLICT DO NOTHING
       RETURNING id, created_at`,
      [
        retests.map((t) => t.id),
        retests.map((t) => t.reason),
        retests.map((t) => t.personId),
        retests.map((t) => t.sampleId),
        retests.map((t) => t.poolId),
        retests.map((t) => t.sourceTestId),
        retests.map((t) => t.sourceCollectedAt),
        retests.map((t) => t.unit),
        retests.map((t) => t.unitPath.join('/')),
      ],
    );
    const createdAt = new Map(created.map((c) => [c.id, c.created_at]));
    for (const t of retests) {
      const at = createdAt.get(t.id);
      if (!at) continue;
      const { sourceCollectedAt: _collected, unitPath, ...entry } = t;
      outcome.retests.push({ ...entry, createdAt: at.toISOString() });
      events.push({
        input: {
          id: eventIdOf(t.id),
          type: 'retest.required',
          unit: t.unit,
          occurredAt: new Date().toISOString(),
          payload: {
            retestId: t.id,
            reason: t.reason,
            sourceTestId: t.sourceTestId,
            sampleId: t.sampleId,
            requiredMethod: 'rt-pcr',
            ...(t.personId ? { personId: t.personId } : {}),
            ...(t.poolId ? { poolId: t.poolId } : {}),
          },
        },
        unitPath,
      });
    }
  }

  // An RT-PCR result (positive or negative) of a person closes their open retests taken before it.
  const confirmations = outcome.inserted.filter(
    (r) => r.method === 'rt-pcr' && r.personId && !r.poolId && r.result !== 'inconclusive',
  );
  if (confirmations.length) {
    await em.query(
      `UPDATE retest_list t SET status = 'done', resolved_by_result_id = u.result_id, resolved_at = now()
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS u(person_id, result_id, collected_at)
        WHERE t.person_id = u.person_id AND t.status = 'open' AND t.source_collected_at <= u.collected_at`,
      [confirmations.map((r) => r.personId), confirmations.map((r) => r.id), confirmations.map((r) => r.collectedAt)],
    );
  }

  events.push(...extraEvents);
  if (events.length) outcome.created = (await store.append(events, actor, em)).created;
  return outcome;
}
