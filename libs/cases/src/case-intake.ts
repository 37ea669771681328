import type { EntityManager } from 'typeorm';
import type { AuditEntry, AuditService } from '@frontline/audit';
import type { EventPayload, StoredEvent } from '@frontline/contracts';
import { type Queryable, ReferencedRecordsRepository } from '@frontline/database';
import type { AppendItem } from '@frontline/spine';
import { CaseConflict, CaseEngine, CaseRow, EventOrigin } from './case-engine';
import { F0_ACTIVE, MONITORED } from './machine';
import { CaseReferencesRepository } from './case-references.repository';

/** Event types whose state the case registry owns, whichever path they come in by. */
export const CASE_OWNED_TYPES: ReadonlySet<string> = new Set(['case.confirmed', 'contact.identified']);

/** An integration's fact the registry cannot take as sent; `field` names the payload field at fault. */
export class CaseIntakeRefusal extends Error {
  constructor(
    readonly field: string,
    message: string,
    /** `unknown`: the id names no case the sender may reach (none, or one of another jurisdiction). */
    readonly reason: 'conflict' | 'unknown' = 'conflict',
  ) {
    super(message);
  }
}

/**
 * Who sent the events: the actor written on the rows and events, as the audit log names them, and
 * the root of their jurisdiction (the cases they name must lie in its subtree).
 */
export interface Submitter {
  actor: string;
  audit: AuditEntry['actor'];
  jurisdiction: string;
}

/** A submitted test result naming a record the sender may not reach: its index in the batch and the field. */
export interface TestReferenceRefusal {
  index: number;
  field: 'caseId' | 'personId';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What one submitted event became: its answer (id, seq) and the events written for it. */
export interface IntakeOutcome {
  accepted: { id: string; seq: number };
  created: StoredEvent[];
}

type Confirmed = EventPayload<'case.confirmed'>;
type Contact = EventPayload<'contact.identified'>;

/**
 * The integration path into the case registry (`POST /api/v1/events`): a `case.confirmed` or
 * `contact.identified` sent by another system is registered by the case engine exactly as the
 * `/cases` API registers it — a person (unnamed: the sender sends no personal data), a case, its
 * history row, its event (the submitted one: same id, same time), the tracing graph and clusters.
 * The sender's ids are kept as references to the case, so its later events find the record.
 * Idempotent by event id and by reference: a re-sent event, or a second event for a fact already
 * recorded, writes nothing and answers with the event that holds the fact.
 *
 * Drill events stay events only: an exercise never enters the real registry.
 */
export class CaseIntake {
  constructor(
    private readonly engine: CaseEngine,
    private readonly audit: AuditService,
    private readonly references = new CaseReferencesRepository(),
    private readonly records = new ReferencedRecordsRepository(),
  ) {}

  /** Whether the registry takes this event (a real, not drill, case or contact fact). */
  owns(item: AppendItem): boolean {
    return CASE_OWNED_TYPES.has(item.input.type) && !item.input.drill;
  }

  /** Registers one owned event in the caller's transaction. */
  async take(em: EntityManager, item: AppendItem, eventId: string, by: Submitter): Promise<IntakeOutcome> {
    const input = item.input;
    const reference = input.type === 'case.confirmed' ? input.payload.caseId : (input.payload as Contact).contactId;
    const { seq, caseId: known } = await this.references.claim(em, reference, eventId);
    if (seq !== null) return { accepted: { id: eventId, seq }, created: [] };
    const field = input.type === 'case.confirmed' ? 'caseId' : 'contactId';
    if (known) await this.assertReachable(em, known, field, by);
    const origin: EventOrigin = { eventId, occurredAt: input.occurredAt };
    try {
      if (input.type === 'case.confirmed') return await this.confirmed(em, item, input.payload, reference, known, origin, by);
      return await this.contact(em, item, input.payload as Contact, reference, known, origin, by);
    } catch (err) {
      if (err instanceof CaseConflict) throw new CaseIntakeRefusal(input.type === 'case.confirmed' ? 'caseId' : 'sourceCaseId', err.message);
      throw err;
    }
  }

  /**
   * Test results name the sender's case ids: the ones the registry knows are replaced by the
   * case's own id, so the case rules record the result on the case (exit test, F0 proposal).
   */
  async resolveTests(em: EntityManager, items: AppendItem[]): Promise<AppendItem[]> {
    const named = items.filter((i) => i.input.type === 'test.resulted' && !i.input.drill && i.input.payload.caseId);
    if (!named.length) return items;
    const cases = await this.references.casesOf(
      em,
      named.map((i) => (i.input.payload as EventPayload<'test.resulted'>).caseId!),
    );
    if (!cases.size) return items;
    return items.map((item) => {
      if (item.input.type !== 'test.resulted' || item.input.drill) return item;
      const caseId = item.input.payload.caseId ? cases.get(item.input.payload.caseId) : undefined;
      return caseId ? { ...item, input: { ...item.input, payload: { ...item.input.payload, caseId } } } : item;
    });
  }

  /**
   * The test results of a batch that name a record of ours the sender may not reach: a case
   * (by our id, or by a reference that names one) or a person outside their jurisdiction, or an
   * id of ours that names nothing (answered alike, so ids cannot be probed). A sender's own id
   * that names no case yet is accepted: it touches no record. One statement for the batch.
   */
  async unreachableTests(db: Queryable, items: AppendItem[], jurisdiction: string): Promise<TestReferenceRefusal[]> {
    const named = items.flatMap((item, index) => {
      if (item.input.type !== 'test.resulted' || item.input.drill) return [];
      const { caseId, personId } = item.input.payload;
      return caseId || personId ? [{ index, caseId, personId }] : [];
    });
    if (!named.length) return [];
    const referenced = await this.references.casesOf(db, named.flatMap((n) => (n.caseId ? [n.caseId] : [])));
    const caseOf = (id: string) => referenced.get(id) ?? (UUID.test(id) ? id.toLowerCase() : null);
    const inside = await this.records.within(db, jurisdiction, {
      case: named.map((n) => (n.caseId ? caseOf(n.caseId) : null)),
      person: named.map((n) => n.personId),
    });
    return named.flatMap(({ index, caseId, personId }): TestReferenceRefusal[] => {
      const kase = caseId ? caseOf(caseId) : null;
      if (kase && !inside.has('case', kase)) return [{ index, field: 'caseId' }];
      if (personId && !inside.has('person', personId)) return [{ index, field: 'personId' }];
      return [];
    });
  }

  /** A case the sender's event reaches must be in their jurisdiction; one outside is answered as unknown. */
  private async assertReachable(em: EntityManager, caseId: string, field: string, by: Submitter): Promise<void> {
    const inside = await this.records.within(em, by.jurisdiction, { case: [caseId] });
    if (!inside.has('case', caseId)) throw new CaseIntakeRefusal(field, 'no such case', 'unknown');
  }

  private async confirmed(
    em: EntityManager,
    item: AppendItem,
    p: Confirmed,
    reference: string,
    known: string | null,
    origin: EventOrigin,
    by: Submitter,
  ): Promise<IntakeOutcome> {
    const actor = by.actor;
    // An F1 confirmed under a new id is the same person: the contact's case becomes the F0.
    const previous = !known && p.previousCaseId ? await this.references.caseOf(em, p.previousCaseId) : null;
    if (previous) await this.assertReachable(em, previous, 'previousCaseId', by);
    const caseId = known ?? previous;
    const c = caseId ? await this.engine.load(em, caseId, true) : null;
    if (c?.classification === 'F0' && c.status !== 'proposed' && F0_ACTIVE.includes(c.status)) {
      await this.references.add(em, reference, c.id, origin.eventId);
      return this.alreadyRecorded(em, c, 'F0', origin.eventId);
    }
    if (c && (c.status === 'proposed' || MONITORED.includes(c.status))) {
      const created = await this.engine.confirm(em, c, actor, { method: p.method, source: p.source }, origin);
      await this.references.add(em, reference, c.id, origin.eventId);
      return this.outcome(created, origin.eventId);
    }
    // New, or a finished case positive again: a new F0 (of the same person when known).
    const personId = c?.person_id ?? (await this.newPerson(em, item, p.sex, by));
    const created = await this.engine.create(
      em,
      {
        personId,
        classification: 'F0',
        unitCode: item.input.unit,
        unitPath: item.unitPath,
        method: p.method,
        source: p.source,
        repositive: p.repositive || (c?.classification === 'F0' && c.status === 'recovered'),
        ageBand: p.ageBand,
        sex: p.sex,
      },
      actor,
      origin,
    );
    await this.references.add(em, reference, created.id, origin.eventId);
    return this.outcome(created.events, origin.eventId);
  }

  private async contact(
    em: EntityManager,
    item: AppendItem,
    p: Contact,
    reference: string,
    known: string | null,
    origin: EventOrigin,
    by: Submitter,
  ): Promise<IntakeOutcome> {
    const actor = by.actor;
    if (known) {
      const c = (await this.engine.load(em, known))!;
      return this.alreadyRecorded(em, c, null, origin.eventId);
    }
    const sourceCaseId = await this.references.caseOf(em, p.sourceCaseId);
    if (!sourceCaseId) throw new CaseIntakeRefusal('sourceCaseId', `no case known as "${p.sourceCaseId}" (send its case.confirmed or contact.identified first)`, 'unknown');
    await this.assertReachable(em, sourceCaseId, 'sourceCaseId', by);
    const source = (await this.engine.load(em, sourceCaseId))!;
    // A contact of an F1 who has since become an F0 is that F0's contact: an F1.
    const classification = p.classification === 'F2' && source.classification === 'F0' ? 'F1' : p.classification;
    const personId = await this.newPerson(em, item, undefined, by);
    const created = await this.engine.create(
      em,
      {
        personId,
        classification,
        unitCode: item.input.unit,
        unitPath: item.unitPath,
        sourceCaseId,
        exposure: { date: p.exposureDate, setting: p.setting },
      },
      actor,
      origin,
    );
    await this.references.add(em, reference, created.id, origin.eventId);
    return this.outcome(created.events, origin.eventId);
  }

  /** An unnamed person, with the audit row every registration of a person writes (the fields given). */
  private async newPerson(em: EntityManager, item: AppendItem, sex: Confirmed['sex'], by: Submitter): Promise<string> {
    const { unit, location } = item.input;
    const id = await this.references.insertPerson(em, { unitCode: unit, unitPath: item.unitPath, sex, location, createdBy: by.actor });
    const fields = [...(sex ? ['sex'] : []), ...(location ? ['location'] : [])];
    await this.audit.record({ actor: by.audit, action: 'change', recordType: 'person', recordId: id, fields, unitCode: unit }, em);
    return id;
  }

  private outcome(created: StoredEvent[], eventId: string): IntakeOutcome {
    const own = created.find((e) => e.id === eventId)!;
    return { accepted: { id: eventId, seq: own.seq }, created };
  }

  /** The fact is already in the registry: nothing written; the answer names the event holding it. */
  private async alreadyRecorded(em: EntityManager, c: CaseRow, classification: 'F0' | null, eventId: string): Promise<IntakeOutcome> {
    const holding = await this.references.factEvent(em, c.id, classification);
    if (!holding) throw new CaseConflict(`case ${c.id} is ${c.classification} (${c.status}); this event cannot change it`);
    return { accepted: { id: eventId, seq: holding.seq }, created: [] };
  }
}
