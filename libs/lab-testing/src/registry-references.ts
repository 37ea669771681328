import type { DataSource, EntityManager } from 'typeorm';
import { ReferencedRecordsRepository } from '@frontline/database';

/** Which of the people, cases and pools a lab write names exist inside the writer's jurisdiction. */
export interface RegistryReferences {
  people: ReadonlySet<string>;
  /** Case id -> the person the case is of. */
  cases: ReadonlyMap<string, string>;
  pools: ReadonlySet<string>;
}

const records = new ReferencedRecordsRepository();

/**
 * Looks up person, case and pool ids (lower-cased uuids; anything else is simply not found) inside
 * the subtree of `within` (the caller's or the upload's unit) before a write, so that a missing
 * one is a named 4xx or row error instead of a foreign-key failure (migration 1733100000000), and
 * a record of another jurisdiction is answered exactly as a missing one. The keys stay as the
 * guard against a race.
 */
export async function registryReferences(
  db: DataSource | EntityManager,
  within: string,
  ids: { people?: Iterable<string | null | undefined>; cases?: Iterable<string | null | undefined>; pools?: Iterable<string | null | undefined> },
): Promise<RegistryReferences> {
  const inside = await records.within(db, within, { person: ids.people, case: ids.cases, pool: ids.pools });
  const lower = (values: Iterable<string | null | undefined> = []) => [...values].flatMap((v) => (v ? [v.toLowerCase()] : []));
  return {
    people: new Set(lower(ids.people).filter((id) => inside.has('person', id))),
    cases: new Map(lower(ids.cases).flatMap((id) => (inside.has('case', id) ? [[id, inside.personOfCase(id)!] as const] : []))),
    pools: new Set(lower(ids.pools).filter((id) => inside.has('pool', id))),
  };
}

/**
 * Why a result's person / case references do not hold, as [field, message], or null when they
 * do: each must exist, and a case named with a person must be that person's.
 */
export function referenceProblem(
  refs: RegistryReferences,
  personId: string | undefined,
  caseId: string | undefined,
): [field: 'personId' | 'caseId', message: string] | null {
  const person = personId?.toLowerCase();
  const kase = caseId?.toLowerCase();
  if (person && !refs.people.has(person)) return ['personId', 'no such person'];
  if (kase) {
    const owner = refs.cases.get(kase);
    if (!owner) return ['caseId', 'no such case'];
    if (person && owner !== person) return ['caseId', 'the case is of another person'];
  }
  return null;
}
