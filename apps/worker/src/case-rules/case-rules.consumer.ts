import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { StoredEvent } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import { ConsumerBatch, EventConsumer, EventStore, LOGGER, StreamConsumer } from '@frontline/spine';
import { CaseEngine, caseRulesOf } from '@frontline/cases';
import { writeEventResults } from '@frontline/lab-testing';
import { TracingTaskRule } from './tracing-task';

const ACTOR = 'system:case-rules';
const uuid = z.uuid();

/**
 * Who a rule's change is written as: the person whose event triggered it (`user:<id>`), so a
 * case's history names who sent the result; the rules themselves when a system part sent it.
 */
export function actorFor(event: StoredEvent): string {
  return event.actor.startsWith('user:') ? event.actor : ACTOR;
}

/** Who a result is about: the case id, else the person id (uuids of our tables; other ids are not ours). */
export function targetOf(event: StoredEvent): { caseId?: string; personId?: string } | null {
  if (event.type !== 'test.resulted' || event.drill) return null;
  const p = event.payload as { caseId?: unknown; personId?: unknown };
  if (uuid.safeParse(p.caseId).success) return { caseId: String(p.caseId).toLowerCase() };
  if (uuid.safeParse(p.personId).success) return { personId: String(p.personId).toLowerCase() };
  return null;
}

/** The case a `case.confirmed` event made an F0 (a uuid of ours; a simulator's ids are not). */
export function confirmedCaseOf(event: StoredEvent): string | null {
  if (event.type !== 'case.confirmed' || event.drill) return null;
  const id = (event.payload as { caseId?: unknown }).caseId;
  return uuid.safeParse(id).success ? String(id).toLowerCase() : null;
}

/**
 * The case rules through the spine: the consumer group "case-rules" owns `test.resulted` in the
 * worker. Every result that came without its lab registry row (an integration's, through
 * `POST /api/v1/events`) gets it, in one statement per batch (docs/decisions/0028-one-owner-per-event-type.md).
 * Results for a known case or person are applied (docs/decisions/0012-cases-and-tracing.md):
 * a positive proposes an F0 (`case.proposed`) or confirms it at once for RT-PCR when
 * CASE_AUTO_CONFIRM_RTPCR is on; a negative at the end of monitoring releases the contact.
 * A `case.confirmed` (a new F0, or a contact reclassified) opens the case's tracing task.
 * Exactly once per event: the receipt, the case rows and the new events commit in one
 * transaction (the consumer host's unit of work), which publishes the new events after it.
 */
@Injectable()
@StreamConsumer('case-rules')
export class CaseRulesConsumer implements EventConsumer {
  readonly engine: CaseEngine;

  constructor(
    store: EventStore,
    private readonly tracingTasks: TracingTaskRule,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.engine = new CaseEngine(store, caseRulesOf(config));
  }

  async apply(em: EntityManager, { events }: ConsumerBatch): Promise<void> {
    const registered = await writeEventResults(em, events);
    const created: StoredEvent[] = [];
    for (const event of events) {
      const confirmed = confirmedCaseOf(event);
      if (confirmed) {
        created.push(...(await this.tracingTasks.open(em, confirmed, ACTOR)));
        continue;
      }
      const target = targetOf(event);
      if (!target) continue;
      const p = event.payload as {
        testId: string;
        method: 'rt-pcr' | 'antigen';
        result: 'positive' | 'negative' | 'inconclusive';
      };
      created.push(
        ...(await this.engine.applyResult(
          em,
          target,
          {
            testId: p.testId,
            method: p.method,
            result: p.result,
            takenAt: event.occurredAt,
            eventId: event.id,
          },
          actorFor(event),
        )),
      );
    }
    if (registered.length) this.logger.info({ results: registered.length }, 'lab results registered from events');
    if (created.length) this.logger.info({ events: created.map((e) => e.type) }, 'case rules applied');
  }
}
