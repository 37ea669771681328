import { z } from 'zod';
import { unitCodeSchema } from './units';
import { locationSchema, REPORT_CATEGORIES } from './events';
import {
  DEADLINE_KINDS,
  TASK_PRIORITIES,
  TASK_STATES,
  TASK_TYPES,
  TEAM_KINDS,
  TEAM_STATUSES,
  ZONE_LEVELS,
} from './events-dispatch';

/** Request and response shapes of `/api/v1/dispatch/...` and `POST /api/v1/public/reports`. */

/**
 * A client's id for one action (a tap on the field page): an action re-sent with the same id
 * (a retry on a weak connection) is answered with its first result and never applied twice.
 * Also accepted as the `Idempotency-Key` header.
 */
export const clientActionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,64}$/, 'client action id: 8 to 64 letters, digits, _ . : -');

const place = locationSchema;
const withAction = { clientActionId: clientActionIdSchema.optional() };

export const createTeamRequestSchema = z.strictObject({
  unit: unitCodeSchema,
  name: z.string().trim().min(1).max(120),
  kind: z.enum(TEAM_KINDS),
  base: place.optional(),
  /** Existing accounts (field-team members who use the field page). */
  memberUserIds: z.array(z.uuid()).max(50).optional(),
  /** Existing duty staff of the unit's roster. */
  memberStaffIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateTeamRequest = z.infer<typeof createTeamRequestSchema>;

export const teamStatusRequestSchema = z.strictObject({
  status: z.enum(TEAM_STATUSES),
  ...withAction,
});

export const teamsQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  status: z.enum(TEAM_STATUSES).optional(),
});

export interface TeamView {
  id: string;
  unit: string;
  name: string;
  kind: (typeof TEAM_KINDS)[number];
  status: (typeof TEAM_STATUSES)[number];
  base: { lat: number; lon: number } | null;
  memberUserIds: string[];
  memberStaffIds: string[];
}

export const createTaskRequestSchema = z.strictObject({
  type: z.enum(TASK_TYPES),
  unit: unitCodeSchema,
  place,
  priority: z.enum(TASK_PRIORITIES),
  teamId: z.uuid().optional(),
  reportId: z.uuid().optional(),
  /** A supply task (food, essentials) for people inside this lockdown; only with type `supply`. */
  lockdownId: z.uuid().optional(),
  note: z.string().trim().max(1000).optional(),
  ...withAction,
}).refine((v) => !v.lockdownId || v.type === 'supply', { message: 'only a supply task belongs to a lockdown', path: ['lockdownId'] });
export type CreateTaskRequest = z.infer<typeof createTaskRequestSchema>;

export const assignTaskRequestSchema = z.strictObject({ teamId: z.uuid(), ...withAction });
export const taskActionRequestSchema = z.strictObject({ ...withAction });
export const progressTaskRequestSchema = z.strictObject({
  state: z.enum(['en-route', 'on-scene']),
  ...withAction,
});
export const cancelTaskRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  ...withAction,
});

export const tasksQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  state: z.enum(TASK_STATES).optional(),
  open: z.enum(['true', 'false']).optional(),
  /** Tasks opened for one case (the tracing task of a new F0). */
  caseId: z.uuid().optional(),
});

export interface TaskView {
  id: string;
  unit: string;
  type: (typeof TASK_TYPES)[number];
  priority: (typeof TASK_PRIORITIES)[number];
  state: (typeof TASK_STATES)[number];
  place: { lat: number; lon: number };
  teamId: string | null;
  reportId: string | null;
  lockdownId: string | null;
  note: string | null;
  cancelReason: string | null;
  /** The case a task was opened for (a tracing task), else null. */
  caseId: string | null;
  acknowledgeBy: string;
  finishBy: string;
  createdAt: string;
  updatedAt: string;
  /** Deadlines missed so far and who was alerted: the task's unit (levels 1, 2) or its parent (3). */
  escalations: TaskEscalation[];
}

export interface TaskEscalation {
  deadline: (typeof DEADLINE_KINDS)[number];
  level: number;
  targetUnit: string;
  at: string;
}

/** `GET /api/v1/dispatch/tasks/:id/nearest-teams?limit=5`. */
export const nearestTeamsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(20).optional(),
});
export interface NearestTeam {
  team: TeamView;
  /** Metres from the team's base to the task's place (PostGIS geography distance). */
  distanceM: number;
}
export interface NearestTeamsResponse {
  taskId: string;
  teams: NearestTeam[];
}

/** `GET /api/v1/zones/lockdowns/:id/supply-tasks?open=true`. */
export const supplyTasksQuerySchema = z.strictObject({ open: z.enum(['true', 'false']).optional() });
export interface SupplyTasksResponse {
  lockdownId: string;
  tasks: TaskView[];
}

/** `GET /api/v1/dispatch/reports?unit=CODE`: reports of the subtree still open (not closed or merged), newest first. */
export const openReportsQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export interface OpenReport {
  reportId: string;
  unit: string;
  category: (typeof REPORT_CATEGORIES)[number];
  channel: string;
  description: string;
  occurredAt: string;
  place: { lat: number; lon: number } | null;
  priority: (typeof TASK_PRIORITIES)[number] | null;
  drill: boolean;
  taskIds: string[];
  /** Other open reports within 500 m and 2 hours: likely the same incident. */
  likelyDuplicates: number;
}
export interface OpenReportsResponse {
  unit: string;
  reports: OpenReport[];
}

export interface TaskActionResponse {
  task: TaskView;
  /** The event this action committed (null when a re-sent action changed nothing). */
  eventId: string | null;
  /** The same client action id was applied before: nothing new happened. */
  alreadyApplied: boolean;
}

export const triageReportRequestSchema = z.strictObject({
  priority: z.enum(TASK_PRIORITIES),
  ...withAction,
});
export const closeReportRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  ...withAction,
});
export const mergeReportRequestSchema = z.strictObject({ intoReportId: z.uuid(), ...withAction });
/** An open report close in space and time to another: likely the same incident. */
export interface DuplicateCandidate {
  reportId: string;
  unit: string;
  category: string;
  occurredAt: string;
  distanceM: number;
  minutesApart: number;
  place: { lat: number; lon: number };
}
/** `GET /api/v1/dispatch/reports/:id/duplicates`. */
export interface DuplicatesResponse {
  reportId: string;
  radiusM: number;
  hours: number;
  candidates: DuplicateCandidate[];
}
export const duplicatesQuerySchema = z.strictObject({
  radiusM: z.coerce.number().int().min(10).max(5000).optional(),
  hours: z.coerce.number().min(0.1).max(48).optional(),
});

/**
 * `POST /api/v1/public/reports` (no login): what a citizen may send, nothing more. The place is
 * a point (the phone's location), or a unit picked from the public list (its label point is
 * then the report's location), or both (the point decides the unit).
 */
export const PUBLIC_REPORT_MAX_BYTES = 8 * 1024;
export const publicReportRequestSchema = z
  .strictObject({
    category: z.enum(REPORT_CATEGORIES),
    description: z.string().trim().min(5, 'at least 5 characters').max(2000),
    phone: z
      .string()
      .regex(/^\+?[0-9 .-]{6,20}$/, 'phone number: 6 to 20 digits')
      .optional(),
    place: place.optional(),
    unit: unitCodeSchema.optional(),
  })
  .refine((v) => v.place !== undefined || v.unit !== undefined, {
    message: 'give a place (a point) or a unit',
    path: ['place'],
  });
export type PublicReportRequest = z.infer<typeof publicReportRequestSchema>;

/** `GET /api/v1/public/units`: the tree the citizen form picks from (names and codes only). */
export interface PublicUnit {
  code: string;
  name: string;
  parentCode: string | null;
}
export interface PublicUnitsResponse {
  units: PublicUnit[];
}

/* Zones: levels per unit and lockdown areas (`/api/v1/zones/...`). */
const instantSchema = z.iso.datetime({ offset: true });
const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(lonLat).min(4).max(5000);

export const zoneLevelRequestSchema = z.strictObject({
  unit: unitCodeSchema,
  level: z.enum(ZONE_LEVELS),
  /** Default: now. */
  effectiveAt: instantSchema.optional(),
  decisionRef: z.string().trim().min(1).max(64),
});

export const zoneLevelsQuerySchema = z.strictObject({ unit: unitCodeSchema.optional() });

export const lockdownRequestSchema = z
  .strictObject({
    unit: unitCodeSchema,
    decisionNumber: z.string().trim().min(1).max(64),
    /** A drawn area: GeoJSON Polygon or MultiPolygon geometry (lon, lat). */
    area: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(50) }),
        z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(50)).min(1).max(50) }),
      ])
      .optional(),
    /** Or whole units. */
    unitCodes: z.array(unitCodeSchema).min(1).max(50).optional(),
    startsAt: instantSchema,
    plannedEnd: instantSchema,
    responsibleTeamId: z.uuid().optional(),
    checkpoints: z
      .array(z.strictObject({ name: z.string().trim().min(1).max(120), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }))
      .max(100)
      .default([]),
  })
  .refine((v) => (v.area ? 1 : 0) + (v.unitCodes ? 1 : 0) === 1, { message: 'give either area or unitCodes', path: ['area'] })
  .refine((v) => Date.parse(v.plannedEnd) > Date.parse(v.startsAt), { message: 'must be after startsAt', path: ['plannedEnd'] });
export type LockdownRequest = z.infer<typeof lockdownRequestSchema>;

export const lockdownAmendSchema = z.strictObject({
  decisionNumber: z.string().trim().min(1).max(64),
  plannedEnd: instantSchema,
});
export const lockdownLiftSchema = z.strictObject({ decisionNumber: z.string().trim().min(1).max(64) });
export const lockdownsQuerySchema = z.strictObject({ unit: unitCodeSchema.optional(), active: z.enum(['true', 'false']).optional() });

/* Accountability: timelines and daily response times. */
export const responseTimesQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  /** Local date (the deployment's time zone); default today. */
  day: z.iso.date().optional(),
});

export interface TimelineStep {
  at: string;
  /** What happened: the event type (task.assigned, report.triaged, ...). */
  type: string;
  actor: string;
  /** The display name of the account that did it; null for the system's own steps. */
  actorName: string | null;
  eventId: string;
  taskId?: string;
  detail: Record<string, unknown>;
  /** Milliseconds since the previous step of the same record. */
  sincePreviousMs: number | null;
}

/** `GET /api/v1/dispatch/tasks/:id/timeline`. */
export interface TaskTimelineResponse {
  taskId: string;
  reportId: string | null;
  steps: TimelineStep[];
  durations: {
    toAssignMs: number | null;
    toAcknowledgeMs: number | null;
    createdToAcknowledgedMs: number | null;
    acknowledgedToDoneMs: number | null;
    totalMs: number | null;
  };
}

/** `GET /api/v1/dispatch/reports/:id/timeline`: the report's own steps and each of its tasks' timelines. */
export interface ReportTimelineResponse {
  reportId: string;
  steps: TimelineStep[];
  tasks: TaskTimelineResponse[];
  durations: {
    toAcknowledgeMs: number | null;
    toTriageMs: number | null;
    toFirstTaskMs: number | null;
    toCloseMs: number | null;
  };
}

/** `GET /api/v1/dispatch/response-times?unit=CODE&day=YYYY-MM-DD`. */
export interface ResponseTimesResponse {
  unit: string;
  day: string;
  units: {
    unit: string;
    tasks: number;
    acknowledged: number;
    done: number;
    unacknowledgedPastDeadline: number;
    acknowledgeMedianMs: number | null;
    acknowledgeWorstMs: number | null;
    doneMedianMs: number | null;
    doneWorstMs: number | null;
  }[];
}
