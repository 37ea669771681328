import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { StoredEvent } from '@frontline/contracts';
import { taskDeadlines, TaskPriority } from '@frontline/queue';
import { EventStore } from '@frontline/spine';
import { derivedEventId } from '../escalation/escalation.service';
import { TracingTasksRepository } from './tracing-tasks.repository';

/** A case in a detected cluster is part of an outbreak already spreading: its tracing is critical. */
export function tracingPriority(c: { clusterId: string | null }): TaskPriority {
  return c.clusterId ? 'critical' : 'high';
}

/** One id per case: the same case always names the same task (and its `task.created` event). */
export function tracingTaskId(caseId: string): string {
  return derivedEventId(`tracing-task:${caseId}`);
}

/**
 * The rule "a new F0 opens a tracing task for its unit" (docs/decisions/0016-case-tracing-tasks.md),
 * run by the case-rules consumer on `case.confirmed` inside its transaction. The task carries the
 * case id, the unit and the unit's label point — never the person's address or location. At most
 * one tracing task per case (unique index, ON CONFLICT DO NOTHING): a redelivered event or a
 * second worker adds nothing. Its escalation jobs follow from its `task.created`, like every
 * task's (the follow-up-jobs consumer).
 */
@Injectable()
export class TracingTaskRule {
  constructor(
    private readonly tasks: TracingTasksRepository,
    private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(em: EntityManager, caseId: string, actor: string): Promise<StoredEvent[]> {
    const c = await this.tasks.caseToTrace(em, caseId);
    // An event about a case we do not hold (a simulator's id), or no longer an F0 in care.
    if (!c || c.classification !== 'F0' || c.status === 'proposed') return [];
    if (!c.place) throw new Error(`unit ${c.unitCode} and its parents have no geometry`);

    const priority = tracingPriority(c);
    const now = new Date();
    const deadlines = taskDeadlines(this.config, priority, now);
    const taskId = tracingTaskId(c.id);
    const eventId = derivedEventId(`task.created:${taskId}`);
    const opened = await this.tasks.insert(em, {
      id: taskId,
      caseId: c.id,
      unitCode: c.unitCode,
      unitPath: c.unitPath,
      priority,
      place: c.place,
      acknowledgeBy: deadlines.acknowledge,
      finishBy: deadlines.finish,
      createdAt: now,
      actor,
      eventId,
    });
    if (!opened) return []; // this case has its tracing task already

    const appended = await this.store.append(
      [
        {
          input: {
            id: eventId,
            type: 'task.created',
            unit: c.unitCode,
            occurredAt: now.toISOString(),
            location: c.place,
            payload: {
              taskId,
              taskType: 'tracing',
              priority,
              caseId: c.id,
              acknowledgeBy: deadlines.acknowledge.toISOString(),
              finishBy: deadlines.finish.toISOString(),
            },
          },
          unitPath: c.unitPath,
        },
      ],
      actor,
      em,
    );
    return appended.created;
  }
}
