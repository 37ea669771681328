import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseClassification, CaseStatus, GeoPoint } from '@frontline/contracts';
import type { TaskPriority } from '@frontline/queue';

/** A case as its tracing task needs it: where to send the team is the unit's label point. */
export interface CaseToTrace {
  id: string;
  classification: CaseClassification;
  status: CaseStatus;
  unitCode: string;
  unitPath: string[];
  clusterId: string | null;
  /** The label point of the case's deepest unit that has a geometry; null when none has. */
  place: GeoPoint | null;
}

export interface NewTracingTask {
  id: string;
  caseId: string;
  unitCode: string;
  unitPath: string[];
  priority: TaskPriority;
  place: GeoPoint;
  acknowledgeBy: Date;
  finishBy: Date;
  createdAt: Date;
  actor: string;
  /** The id of its `task.created`, recorded on the first transition. */
  eventId: string;
}

/** The tracing tasks the case rules open: the case they trace and the task rows. */
@Injectable()
export class TracingTasksRepository {
  async caseToTrace(em: EntityManager, caseId: string): Promise<CaseToTrace | null> {
    const [row] = (await em.query(
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
    )) as {
      id: string;
      classification: CaseClassification;
      status: CaseStatus;
      unit_code: string;
      unit_path: string[];
      cluster_id: string | null;
      lat: number | null;
      lon: number | null;
    }[];
    if (!row) return null;
    return {
      id: row.id,
      classification: row.classification,
      status: row.status,
      unitCode: row.unit_code,
      unitPath: row.unit_path,
      clusterId: row.cluster_id,
      place: row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon },
    };
  }

  /**
   * The task and its first transition; false when the case has its tracing task already (at
   * most one per case: unique index, ON CONFLICT DO NOTHING).
   */
  async insert(em: EntityManager, task: NewTracingTask): Promise<boolean> {
    const inserted = (await em.query(
      `INSERT INTO tasks (id, unit_code, unit_path, type, priority, place, case_id, acknowledge_by, finish_by,
                          created_by, drill, created_at, updated_at)
       VALUES ($1, $2, $3, 'tracing', $4, ST_SetSRID(ST_MakePoint($5, $6), 4326)::geography, $7, $8, $9, $10, false, $11, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        task.id,
        task.unitCode,
        task.unitPath,
        task.priority,
        task.place.lon,
        task.place.lat,
        task.caseId,
        task.acknowledgeBy,
        task.finishBy,
        task.actor,
        task.createdAt,
      ],
    )) as { id: string }[];
    if (!inserted.length) return false;
    await em.query(
      `INSERT INTO task_transitions (task_id, from_state, to_state, action, team_id, actor, event_id)
       VALUES ($1, NULL, 'created', 'create', NULL, $2, $3)`,
      [task.id, task.actor, task.eventId],
    );
    return true;
  }
}
