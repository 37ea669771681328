import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '@frontline/contracts';
import { derivedId } from './derived-id';
import { eventIdOf } from './lab-result-writer';
import { RegistryReferences, registryReferences } from './registry-references';

/** The `lab_results` id of a result known only by its event: one event, one row, whoever writes it. */
export const resultIdOfEvent = (eventId: string): string => derivedId('event-result', eventId);

/** The lab code of a result whose sender named none: the unit it was submitted in. */
export const submittingUnitLab = (unit: string): string => `unit:${unit}`;

interface ResultPayload {
  testId: string;
  sampleId: string;
  method: 'rt-pcr' | 'antigen';
  result: 'positive' | 'negative' | 'inconclusive';
  labCode?: string;
  caseId?: string;
  personId?: string;
}

/**
 * Whether a `test.resulted` still needs its registry row: a real (not drill) result that the lab
 * writer did not make. The writer's events carry their row's id as `testId` and an id derived
 * from it (decision 0013), so they already have theirs.
 */
export function needsRegistryRow(event: StoredEvent): boolean {
  if (event.type !== 'test.resulted' || event.drill) return false;
  const { testId } = event.payload as unknown as ResultPayload;
  return eventIdOf(testId) !== event.id;
}

/**
 * Writes the `lab_results` row of every `test.resulted` among `events` that has none yet (an
 * integration's result through `POST /api/v1/events`, a result recorded on a case), in one
 * multi-row statement in the caller's transaction. The row's id is derived from the event's, so
 * writing the same event again inserts nothing; a (lab, sample) already holding a result keeps
 * it. What the event lacks is filled: the lab is the submitting unit's when none is named, the
 * sample was collected when the event occurred, the person is the case's. People and cases are
 * kept only when the registry holds them (a sender's own ids are not ours). Returns the ids of
 * the rows written.
 */
export async function writeEventResults(em: EntityManager, events: StoredEvent[]): Promise<string[]> {
  const results = events.filter(needsRegistryRow).map((event) => ({ event, p: event.payload as unknown as ResultPayload }));
  if (!results.length) return [];
  // The api checked the sender's jurisdiction over the ids it named (decision 0034); here only
  // whether the registry holds them, under each result's root unit (one lookup per root).
  const refsByRoot = new Map<string, RegistryReferences>();
  for (const root of new Set(results.map((r) => r.event.unitPath[0]))) {
    const ofRoot = results.filter((r) => r.event.unitPath[0] === root).map((r) => r.p);
    refsByRoot.set(root, await registryReferences(em, root, { people: ofRoot.map((p) => p.personId), cases: ofRoot.map((p) => p.caseId) }));
  }
  const rows = results.map(({ event, p }) => {
    const refs = refsByRoot.get(event.unitPath[0])!;
    const named = p.personId?.toLowerCase();
    const person = named && refs.people.has(named) ? named : undefined;
    const caseId = p.caseId?.toLowerCase();
    const caseOwner = caseId ? refs.cases.get(caseId) : undefined;
    // A case is kept when it is ours and, if a person is named too, that person's.
    const keepCase = caseOwner !== undefined && (!person || caseOwner === person);
    return {
      id: resultIdOfEvent(event.id),
      lab: p.labCode ?? submittingUnitLab(event.unit),
      sample: p.sampleId,
      unit: event.unit,
      path: event.unitPath.join('/'),
      person: person ?? (keepCase ? caseOwner : null),
      caseId: keepCase ? caseId : null,
      method: p.method,
      result: p.result,
      at: event.occurredAt,
      eventId: event.id,
      actor: event.actor,
    };
  });
  const written: { id: string }[] = await em.query(
    `INSERT INTO lab_results (id, lab_code, sample_id, unit_code, unit_path, person_id, case_id, method, result,
                              collected_at, resulted_at, event_id, recorded_by)
       SELECT t.id, t.lab, t.sample, t.unit, string_to_array(t.path, '/'), t.person, t.case_id, t.method, t.result,
              t.at, t.at, t.event_id, t.actor
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[],
                   $9::text[], $10::timestamptz[], $11::uuid[], $12::text[])
            AS t(id, lab, sample, unit, path, person, case_id, method, result, at, event_id, actor)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.lab),
      rows.map((r) => r.sample),
      rows.map((r) => r.unit),
      rows.map((r) => r.path),
      rows.map((r) => r.person),
      rows.map((r) => r.caseId),
      rows.map((r) => r.method),
      rows.map((r) => r.result),
      rows.map((r) => r.at),
      rows.map((r) => r.eventId),
      rows.map((r) => r.actor),
    ],
  );
  return written.map((r) => r.id);
}
