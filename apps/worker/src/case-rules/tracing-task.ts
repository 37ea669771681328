import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import type { StoredEvent } from '@frontline/contracts';
import { taskDeadlines, TaskPriority } from '@frontline/queue';
import { EventStore } from '@frontline/spine';
import { derivedEventId } from '../escalation/escalation.service';

interface ConfirmedCase {
  id: string;
  classification: string;
  status: string;
  unit_code: string;
  unit_path: string[];
  cluster_id: string | null;
  lat: number | null;
  lon: number | null;
}

/** A case in a detected cluster is part of an outbreak already spreading: its tracing is critical. */
export function tracingPriority(c: { cluster_id: string | null }): TaskPriority {
  return c.cluster_id ? 'critical' : 'high';
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
    private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(em: EntityManager, caseId: string, actor: string): Promise<StoredEvent[]> {
    const rows = (await em.query(
      `SELECT c.id, c.classification, c.status, c.unit_code, c.unit_path, c.cluster_id,
              ST_Y(pt.p) AS lat, ST_X(pt.p) AS lon
       FROM cases c
       LEFT JOIN LATERAL (
         SELECT COALESCE(u.label_point, ST_PointOnSurface(u.geom)) AS p FROM admin_units u
         WHERE u.code = ANY (c.unit_path) AND (u.label_point IS NOT NULL OR u.geom IS NOT NULL)
         ORDER BY array_length(u.path, 1) DESC LIMIT 1
       ) pt ON true
       WHERE c.id = $1`,
      [caseId],
    )) as ConfirmedCase[];
    const c = rows[0];
    // An event about a case we do not hold (a simulator's id), or no longer an F0 in care.
    if (!c || c.classification !== 'F0' || c.status === 'proposed') return [];
    if (c.lat === null || c.lon === null) throw new Error(`unit ${c.unit_code} and its parents have no geometry`);

    const priority = tracingPriority(c);
    const now = new Date();
    const deadlines = taskDeadlines(this.config, priority, now);
    const taskId = tracingTaskId(c.id);
    const inserted = (await em.query(
      `INSERT INTO tasks (id, unit_code, unit_path, type, priority, place, case_id, acknowledge_by, finish_by,
                          created_by, drill, created_at, updated_at)
       VALUES ($1, $2, $3, 'tracing', $4, ST_SetSRID(ST_MakePoint($5, $6), 4326)::geography, $7, $8, $9, $10, false, $11, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [taskId, c.unit_code, c.unit_path, priority, c.lon, c.lat, c.id, deadlines.acknowledge, deadlines.finish, actor, now],
    )) as { id: string }[];
    if (!inserted.length) return []; // this case has its tracing task already

    const eventId = derivedEventId(`task.created:${taskId}`);
    await em.query(
      `INSERT INTO task_transitions (task_id, from_state, to_state, action, team_id, actor, event_id)
       VALUES ($1, NULL, 'created', 'create', NULL, $2, $3)`,
      [taskId, actor, eventId],
    );
    const appended = await this.store.append(
      [
        {
          input: {
            id: eventId,
            type: 'task.created',
            unit: c.unit_code,
            occurredAt: now.toISOString(),
            location: { lat: c.lat, lon: c.lon },
            payload: {
              taskId,
              taskType: 'tracing',
              priority,
              caseId: c.id,
              acknowledgeBy: deadlines.acknowledge.toISOString(),
              finishBy: deadlines.finish.toISOString(),
            },
          },
          unitPath: c.unit_path,
        },
      ],
      actor,
      em,
    );
    return appended.created;
  }
}
