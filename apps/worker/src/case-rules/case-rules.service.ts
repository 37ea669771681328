import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { StoredEvent } from '@frontline/contracts';
import type { Logger } from '@frontline/logger';
import {
  ConsumerGroupRunner,
  EventStore,
  LOGGER,
  STREAM_KEYS,
  StreamEntry,
  StreamKeys,
  startEventStreamConsumer,
  StreamPublisher,
} from '@frontline/spine';
import { CaseEngine, caseRulesOf } from '../../../../libs/cases/src';
import { TracingTaskRule } from './tracing-task';

const GROUP = 'case-rules';
const ACTOR = 'system:case-rules';
const uuid = z.uuid();

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
 * The case rules through the spine: the consumer group "case-rules" reads `test.resulted`
 * events for a known case or person and applies them (docs/decisions/0012-cases-and-tracing.md):
 * a positive proposes an F0 (`case.proposed`) or confirms it at once for RT-PCR when
 * CASE_AUTO_CONFIRM_RTPCR is on; a negative at the end of monitoring releases the contact.
 * A `case.confirmed` (a new F0, or a contact reclassified) opens the case's tracing task.
 * Exactly once per event: the receipt, the case rows and the new events commit in one
 * transaction, the new events are published after it, the entries XACKed last.
 */
@Injectable()
export class CaseRulesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private runner?: ConsumerGroupRunner;
  readonly engine: CaseEngine;

  constructor(
    private readonly dataSource: DataSource,
    store: EventStore,
    private readonly publisher: StreamPublisher,
    private readonly tracingTasks: TracingTaskRule,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.engine = new CaseEngine(store, caseRulesOf(config));
  }

  onApplicationBootstrap(): void {
    this.runner = startEventStreamConsumer(
      this.config,
      this.keys.events,
      GROUP,
      (entries) => this.apply(entries),
      this.logger,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  async apply(entries: StreamEntry[]): Promise<void> {
    const relevant = entries.map((e) => e.event).filter((e) => targetOf(e) || confirmedCaseOf(e));
    if (!relevant.length) return;
    const created = await this.dataSource.transaction(async (em) => {
      const fresh: { event_id: string }[] = await em.query(
        `INSERT INTO consumer_receipts (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [GROUP, [...new Set(relevant.map((e) => e.id))]],
      );
      const freshIds = new Set(fresh.map((r) => r.event_id));
      const out: StoredEvent[] = [];
      for (const event of relevant) {
        if (!freshIds.delete(event.id)) continue;
        const confirmed = confirmedCaseOf(event);
        if (confirmed) {
          out.push(...(await this.tracingTasks.open(em, confirmed, ACTOR)));
          continue;
        }
        const p = event.payload as {
          testId: string;
          method: 'rt-pcr' | 'antigen';
          result: 'positive' | 'negative' | 'inconclusive';
        };
        out.push(
          ...(await this.engine.applyResult(
            em,
            targetOf(event)!,
            {
              testId: p.testId,
              method: p.method,
              result: p.result,
              takenAt: event.occurredAt,
              eventId: event.id,
            },
            ACTOR,
          )),
        );
      }
      return out;
    });
    if (created.length) {
      await this.publisher.publish(created);
      this.logger.info({ events: created.map((e) => e.type) }, 'case rules applied');
    }
  }
}
