import type { DataSource, EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which of the people and cases a lab write names exist in the case registry. */
export interface RegistryReferences {
  people: ReadonlySet<string>;
  /** Case id -> the person the case is of. */
  cases: ReadonlyMap<string, string>;
}

/**
 * Looks up person and case ids (lower-cased uuids; anything else is simply not found) before a
 * write, so that a missing one is a named 4xx or row error instead of a foreign-key failure
 * (migration 1733100000000). The keys stay as the guard against a race.
 */
export async function registryReferences(
  db: DataSource | EntityManager,
  personIds: Iterable<string | null | undefined>,
  caseIds: Iterable<string | null | undefined> = [],
): Promise<RegistryReferences> {
  const ids = (values: Iterable<string | null | undefined>) => [
    ...new Set([...values].flatMap((v) => (v && UUID.test(v) ? [v.toLowerCase()] : []))),
  ];
  const people = ids(personIds);
  const cases = ids(caseIds);
  const foundPeople: { id: string }[] = people.length
    ? await db.query('SELECT id FROM people WHERE id = ANY($1::uuid[])', [people])
    : [];
  const foundCases: { id: string; person_id: string }[] = cases.length
    ? await db.query('SELECT id, person_id FROM cases WHERE id = ANY($1::uuid[])', [cases])
    : [];
  return {
    people: new Set(foundPeople.map((r) => r.id)),
    cases: new Map(foundCases.map((r) => [r.id, r.person_id])),
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
