import { z } from 'zod';
import { idSchema, instant, uuid } from './event-parts';
import { defineEvent } from './event-registry';

/**
 * Urgent reports after intake, tasks, teams, escalations and zones (events.md: `report.triaged`,
 * `report.merged`, `report.closed`, `task.*`, `team.status-changed`, `zone.level-changed`,
 * `lockdown.*`). `report.received` and `report.acknowledged` are in events.ts.
 * Payloads carry ids and codes only: people are referenced by user or duty-staff id.
 */

export const TEAM_KINDS = [
  'tracing',
  'sample-collection',
  'cordon',
  'disinfection',
  'patient-transport',
  'border-patrol',
] as const;
export const TEAM_STATUSES = ['available', 'on-task', 'off-duty'] as const;
/** A task's type is the kind of team it needs, or supplies for people inside a lockdown. */
export const TASK_TYPES = [...TEAM_KINDS, 'supply'] as const;
export const TASK_PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export const TASK_STATES = [
  'created',
  'assigned',
  'acknowledged',
  'en-route',
  'on-scene',
  'done',
  'cancelled',
] as const;
export type TaskState = (typeof TASK_STATES)[number];
export type TaskAction = 'assign' | 'acknowledge' | 'en-route' | 'on-scene' | 'complete' | 'cancel';
/**
 * The task state machine: where each action may start from and where it leads. The api
 * enforces it; the field page reads it to offer the right buttons before the server answers.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskAction, { from: readonly TaskState[]; to: TaskState }>> = {
  // Re-assigning is allowed until the team has acknowledged.
  assign: { from: ['created', 'assigned'], to: 'assigned' },
  acknowledge: { from: ['assigned'], to: 'acknowledged' },
  'en-route': { from: ['acknowledged'], to: 'en-route' },
  'on-scene': { from: ['acknowledged', 'en-route'], to: 'on-scene' },
  complete: { from: ['acknowledged', 'en-route', 'on-scene'], to: 'done' },
  cancel: { from: ['created', 'assigned', 'acknowledged', 'en-route', 'on-scene'], to: 'cancelled' },
};
/** The states of a task that goes well, in order. */
export const TASK_PROGRESS: readonly TaskState[] = ['created', 'assigned', 'acknowledged', 'en-route', 'on-scene', 'done'];
/** The two deadlines of a task: to be acknowledged, to be done. */
export const DEADLINE_KINDS = ['acknowledge', 'finish'] as const;
export const ZONE_LEVELS = ['green', 'yellow', 'orange', 'red'] as const;

const reason = z.string().trim().min(1).max(500);

export const reportTriagedPayload = z.strictObject({
  reportId: uuid,
  priority: z.enum(TASK_PRIORITIES),
});
export const reportClosedPayload = z.strictObject({ reportId: uuid, reason });
/** A likely duplicate folded into another report of the same place and time. */
export const reportMergedPayload = z.strictObject({ reportId: uuid, intoReportId: uuid });

export const taskCreatedPayload = z.strictObject({
  taskId: uuid,
  taskType: z.enum(TASK_TYPES),
  priority: z.enum(TASK_PRIORITIES),
  reportId: uuid.optional(),
  /** A supply task for the people inside this lockdown. */
  lockdownId: uuid.optional(),
  /** The case a rule opened the task for (a new F0's tracing task); its id only, never the person. */
  caseId: uuid.optional(),
  acknowledgeBy: instant,
  finishBy: instant,
});
export const taskAssignedPayload = z.strictObject({
  taskId: uuid,
  teamId: uuid,
  previousTeamId: uuid.optional(),
});
export const taskAcknowledgedPayload = z.strictObject({ taskId: uuid, teamId: uuid });
export const taskProgressedPayload = z.strictObject({
  taskId: uuid,
  state: z.enum(['en-route', 'on-scene']),
});
export const taskCompletedPayload = z.strictObject({ taskId: uuid });
export const taskCancelledPayload = z.strictObject({ taskId: uuid, reason });
/** A deadline passed: who was alerted (ids only), at which level of the chain. */
export const taskEscalatedPayload = z.strictObject({
  taskId: uuid,
  deadline: z.enum(DEADLINE_KINDS),
  level: z.int().min(1).max(3),
  /** The unit whose people were alerted (the task's unit, its parent at level 3). */
  targetUnit: z.string().min(1).max(32),
  /** 'roster': people on duty; 'accounts': no roster, the unit's accounts with that role. */
  source: z.enum(['roster', 'accounts', 'none']),
  staffIds: z.array(uuid).max(50),
  userIds: z.array(uuid).max(50),
  due: instant,
});
export const teamStatusChangedPayload = z.strictObject({
  teamId: uuid,
  status: z.enum(TEAM_STATUSES),
  previous: z.enum(TEAM_STATUSES),
  taskId: uuid.optional(),
});

export const zoneLevelChangedPayload = z.strictObject({
  level: z.enum(ZONE_LEVELS),
  previous: z.enum(ZONE_LEVELS).optional(),
  effectiveAt: instant,
  decisionRef: idSchema,
});
export const lockdownDeclaredPayload = z.strictObject({
  lockdownId: uuid,
  decisionNumber: idSchema,
  startsAt: instant,
  plannedEnd: instant,
  responsibleTeamId: uuid.optional(),
  checkpoints: z.int().min(0),
});
export const lockdownAmendedPayload = z.strictObject({
  lockdownId: uuid,
  decisionNumber: idSchema,
  plannedEnd: instant,
});
export const lockdownEndingSoonPayload = z.strictObject({ lockdownId: uuid, plannedEnd: instant });
export const lockdownLiftedPayload = z.strictObject({ lockdownId: uuid, decisionNumber: idSchema });

const dispatch = (route: string) => ({ server: `POST /api/v1/dispatch/${route}` });
const zones = (route: string) => ({ server: `POST /api/v1/zones/${route}` });

export const DISPATCH_EVENTS = {
  'report.triaged': defineEvent(reportTriagedPayload, { severity: 'info', submit: dispatch('reports/{id}/triage') }),
  'report.closed': defineEvent(reportClosedPayload, { severity: 'info', submit: dispatch('reports/{id}/close') }),
  'report.merged': defineEvent(reportMergedPayload, { severity: 'info', submit: dispatch('reports/{id}/merge') }),
  'task.created': defineEvent(taskCreatedPayload, { severity: 'warning', submit: dispatch('tasks') }),
  'task.assigned': defineEvent(taskAssignedPayload, { severity: 'info', submit: dispatch('tasks/{id}/assign') }),
  'task.acknowledged': defineEvent(taskAcknowledgedPayload, { severity: 'info', submit: dispatch('tasks/{id}/acknowledge') }),
  'task.progressed': defineEvent(taskProgressedPayload, { severity: 'info', submit: dispatch('tasks/{id}/progress') }),
  'task.completed': defineEvent(taskCompletedPayload, { severity: 'info', submit: dispatch('tasks/{id}/complete') }),
  'task.cancelled': defineEvent(taskCancelledPayload, { severity: 'warning', submit: dispatch('tasks/{id}/cancel') }),
  'task.escalated': defineEvent(taskEscalatedPayload, {
    severity: 'critical',
    submit: { server: 'nothing: the worker escalates missed deadlines itself' },
  }),
  'team.status-changed': defineEvent(teamStatusChangedPayload, { severity: 'info', submit: dispatch('teams/{id}/status') }),
  'zone.level-changed': defineEvent(zoneLevelChangedPayload, { severity: 'critical', submit: zones('levels') }),
  'lockdown.declared': defineEvent(lockdownDeclaredPayload, { severity: 'critical', submit: zones('lockdowns') }),
  'lockdown.amended': defineEvent(lockdownAmendedPayload, { severity: 'warning', submit: zones('lockdowns/{id}/amend') }),
  'lockdown.ending-soon': defineEvent(lockdownEndingSoonPayload, {
    severity: 'warning',
    submit: { server: 'nothing: the worker announces the end of a lockdown itself' },
  }),
  'lockdown.lifted': defineEvent(lockdownLiftedPayload, { severity: 'warning', submit: zones('lockdowns/{id}/lift') }),
};
