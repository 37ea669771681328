import type { TaskView, TeamView } from '@frontline/contracts';

/** Columns of a task as the services read them (place as lat/lon). */
export const TASK_COLUMNS = `t.id, t.unit_code, t.unit_path, t.type, t.priority, t.state, t.team_id, t.report_id, t.lockdown_id, t.note,
  t.cancel_reason, t.case_id, t.acknowledge_by, t.finish_by, t.created_at, t.updated_at, t.drill,
  ST_Y(t.place::geometry) AS lat, ST_X(t.place::geometry) AS lon,
  COALESCE((SELECT json_agg(json_build_object('deadline', e.deadline, 'level', e.level, 'at', e.escalated_at,
      'targetUnit', CASE WHEN e.level = 3 THEN t.unit_path[array_length(t.unit_path, 1) - 1] ELSE t.unit_code END)
    ORDER BY e.escalated_at, e.level) FROM task_escalations e WHERE e.task_id = t.id), '[]') AS escalations`;

export interface TaskRow {
  id: string;
  unit_code: string;
  unit_path: string[];
  type: TaskView['type'];
  priority: TaskView['priority'];
  state: TaskView['state'];
  team_id: string | null;
  report_id: string | null;
  lockdown_id: string | null;
  note: string | null;
  cancel_reason: string | null;
  case_id: string | null;
  acknowledge_by: Date;
  finish_by: Date;
  created_at: Date;
  updated_at: Date;
  drill: boolean;
  lat: number;
  lon: number;
  escalations: TaskView['escalations'];
}

export function taskView(r: TaskRow): TaskView {
  return {
    id: r.id,
    unit: r.unit_code,
    type: r.type,
    priority: r.priority,
    state: r.state,
    place: { lat: r.lat, lon: r.lon },
    teamId: r.team_id,
    reportId: r.report_id,
    lockdownId: r.lockdown_id,
    note: r.note,
    cancelReason: r.cancel_reason,
    caseId: r.case_id,
    acknowledgeBy: r.acknowledge_by.toISOString(),
    finishBy: r.finish_by.toISOString(),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    escalations: r.escalations.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
  };
}

export const TEAM_COLUMNS = `tm.id, tm.unit_code, tm.unit_path, tm.name, tm.kind, tm.status,
  ST_Y(tm.base_location::geometry) AS lat, ST_X(tm.base_location::geometry) AS lon,
  COALESCE((SELECT array_agg(m.user_id) FROM team_members m WHERE m.team_id = tm.id AND m.user_id IS NOT NULL), '{}') AS user_ids,
  COALESCE((SELECT array_agg(m.staff_id) FROM team_members m WHERE m.team_id = tm.id AND m.staff_id IS NOT NULL), '{}') AS staff_ids`;

export interface TeamRow {
  id: string;
  unit_code: string;
  unit_path: string[];
  name: string;
  kind: TeamView['kind'];
  status: TeamView['status'];
  lat: number | null;
  lon: number | null;
  user_ids: string[];
  staff_ids: string[];
}

export function teamView(r: TeamRow): TeamView {
  return {
    id: r.id,
    unit: r.unit_code,
    name: r.name,
    kind: r.kind,
    status: r.status,
    base: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
    memberUserIds: r.user_ids,
    memberStaffIds: r.staff_ids,
  };
}
