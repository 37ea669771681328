import { z } from 'zod';
import { unitCodeSchema } from './units';

/** Positions every command center staffs around the clock (more may exist as data). */
export const DUTY_POSITIONS = ['commander', 'duty-officer', 'medical-duty', 'police-duty'] as const;

const isoInstant = z.iso.datetime({ offset: true });

/** `GET /api/v1/roster/on-duty?unit=CODE&at=ISO` (default: the caller's unit, now). */
export const onDutyQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  at: isoInstant.optional(),
});
export type OnDutyQuery = z.infer<typeof onDutyQuerySchema>;

export const onDutyPersonSchema = z.strictObject({
  staffId: z.uuid(),
  fullName: z.string(),
  publicPhone: z.string().nullable(),
  /** Only for commander / admin callers; every such read is audited. */
  personalPhone: z.string().nullable().optional(),
});
export type OnDutyPerson = z.infer<typeof onDutyPersonSchema>;

export const onDutyPositionSchema = z.strictObject({
  position: z.string(),
  name: z.string(),
  requiredCount: z.number().int(),
  /** Fewer people than required at this instant (leave, an ended rotation, ...). */
  understaffed: z.boolean(),
  shiftStart: isoInstant.nullable(),
  shiftEnd: isoInstant.nullable(),
  specialDay: z.string().nullable(),
  people: z.array(onDutyPersonSchema),
});

export const onDutyCenterSchema = z.strictObject({
  centerId: z.uuid(),
  unit: unitCodeSchema,
  name: z.string(),
  hotline: z.string().nullable(),
  positions: z.array(onDutyPositionSchema),
  nextShiftAt: isoInstant.nullable(),
});
export type OnDutyCenter = z.infer<typeof onDutyCenterSchema>;

export const onDutyResponseSchema = z.strictObject({
  unit: unitCodeSchema,
  at: isoInstant,
  centers: z.array(onDutyCenterSchema),
});
export type OnDutyResponse = z.infer<typeof onDutyResponseSchema>;

/** `GET /api/v1/public/duty?q=TEXT`: no login, published fields only. */
export const publicDutyQuerySchema = z.strictObject({
  q: z.string().max(100).optional(),
  /** Who was (or will be) on duty at this instant instead of now: the accountability view. */
  at: isoInstant.optional(),
});

export const publicOnDutySchema = z.strictObject({
  position: z.string(),
  name: z.string(),
  /** The published duty number; never a personal phone. */
  phone: z.string().nullable(),
});

export const publicDutyCenterSchema = z.strictObject({
  /** The unit's name ("Móng Cái"), what a citizen searches for. */
  unit: z.string(),
  name: z.string(),
  hotline: z.string().nullable(),
  address: z.string().nullable(),
  onDuty: z.array(publicOnDutySchema),
  nextShiftAt: isoInstant.nullable(),
});
export type PublicDutyCenter = z.infer<typeof publicDutyCenterSchema>;

export const publicDutyResponseSchema = z.strictObject({
  updatedAt: isoInstant,
  /** Present when the list answers `?at=`: the instant it describes. */
  at: isoInstant.optional(),
  centers: z.array(publicDutyCenterSchema),
});
export type PublicDutyResponse = z.infer<typeof publicDutyResponseSchema>;

/** `GET /api/v1/roster/gaps?unit=CODE&days=14`: where fewer people are on duty than required. */
export const coverageGapsQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  days: z.coerce.number().int().min(1).max(60).optional(),
});

export const coverageGapSchema = z.strictObject({
  centerId: z.uuid(),
  unit: unitCodeSchema,
  position: z.string(),
  from: isoInstant,
  to: isoInstant,
  requiredCount: z.number().int(),
  /** The fewest people on duty at any moment of the gap. */
  staffed: z.number().int(),
});

export const coverageGapsResponseSchema = z.strictObject({
  unit: unitCodeSchema,
  from: isoInstant,
  to: isoInstant,
  gaps: z.array(coverageGapSchema),
});
export type CoverageGapsResponse = z.infer<typeof coverageGapsResponseSchema>;

/* Roster changes (docs/decisions/0009-roster-alerts.md): each commits its row and a
 * `roster.changed` event in one transaction, then the center's coverage gaps are recomputed. */
const positionCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'position code: lowercase letters, digits, -')
  .max(64);
const reasonSchema = z.string().trim().min(1).max(500);

/** `POST /api/v1/roster/overrides`: `inStaffId` takes the place of `outStaffId` (or is added) in one shift. */
export const overrideRequestSchema = z.strictObject({
  centerId: z.uuid(),
  position: positionCodeSchema,
  shiftStart: isoInstant,
  outStaffId: z.uuid().nullable().optional(),
  inStaffId: z.uuid(),
  reason: reasonSchema.optional(),
});
export type OverrideRequest = z.infer<typeof overrideRequestSchema>;

/** `POST /api/v1/roster/swaps`: two people trade two shifts once the commander approves. */
export const swapRequestSchema = z.strictObject({
  centerId: z.uuid(),
  staffA: z.uuid(),
  positionA: positionCodeSchema,
  shiftStartA: isoInstant,
  staffB: z.uuid(),
  positionB: positionCodeSchema,
  shiftStartB: isoInstant,
  reason: reasonSchema.optional(),
});
export type SwapRequest = z.infer<typeof swapRequestSchema>;

/** `POST /api/v1/roster/leave`: the person is off every shift overlapping [from, to). */
export const leaveRequestSchema = z
  .strictObject({
    staffId: z.uuid(),
    from: isoInstant,
    to: isoInstant,
    reason: reasonSchema.optional(),
  })
  .refine((l) => Date.parse(l.to) > Date.parse(l.from), {
    path: ['to'],
    message: 'must be after from',
  });
export type LeaveRequest = z.infer<typeof leaveRequestSchema>;

/** `POST /api/v1/roster/check-in`: the logged-in officer starts their shift. */
export const checkInRequestSchema = z.strictObject({
  centerId: z.uuid(),
  position: positionCodeSchema,
});
export type CheckInRequest = z.infer<typeof checkInRequestSchema>;

export interface RosterChangeResponse {
  /** The row written (override, swap, leave, rotation or special day). */
  id: string;
  /** The `roster.changed` event, null when nothing changed (a repeated leave, a proposed swap). */
  eventId: string | null;
  status?: 'proposed' | 'approved' | 'rejected';
  /** A rotation edited from a date on: the rotation closed the day before (history kept). */
  replacedId?: string;
  alreadyRecorded?: boolean;
}

export interface CheckInResponse {
  centerId: string;
  position: string;
  staffId: string;
  shiftStart: string;
  alreadyCheckedIn: boolean;
}

/** `POST /api/v1/roster/handover`: the outgoing officer hands the shift over with a note. */
export const handoverRequestSchema = z.strictObject({
  centerId: z.uuid(),
  position: positionCodeSchema,
  note: z.string().trim().max(2000).optional(),
});
export type HandoverRequest = z.infer<typeof handoverRequestSchema>;

/** What the incoming officer needs to know, computed when the handover is written (ids and codes only). */
export interface HandoverDigest {
  generatedAt: string;
  /** New F0 are counted from here: the previous handover of this center/position, else the shift start. */
  since: string;
  openUrgentReports: { reportId: string; unit: string; category: string; receivedAt: string }[];
  newF0: { total: number; byUnit: Record<string, number> };
  coverageGapsAhead: {
    position: string;
    from: string;
    to: string;
    required: number;
    present: number;
  }[];
}

export interface HandoverResponse {
  id: string;
  centerId: string;
  unit: string;
  position: string;
  shiftStart: string;
  outgoingStaffId: string;
  note: string | null;
  digest: HandoverDigest;
  createdAt: string;
  signedByStaffId: string | null;
  signedAt: string | null;
  /** The `shift.handed-over` event, once signed. */
  eventId?: string;
}

/* Rotations and special days (docs/decisions/0014-roster-feeds-and-schedules.md). */
const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'local date YYYY-MM-DD (in the deployment\'s time zone)')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );
const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'local date-time YYYY-MM-DDTHH:mm (in the deployment\'s time zone)')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}:00Z`)) && new Date(`${d}:00Z`).toISOString().startsWith(d),
    'not a calendar date-time',
  );
const staffListSchema = z.array(z.uuid()).min(1).max(200);

/**
 * `POST /api/v1/roster/rotations`: a repeating pattern. Shift k starts at `anchor + k*shiftHours`
 * (local time) and is held by `perShift` people of `staffIds`, in turn. With `specialDayId` it
 * holds only on that day and replaces the regular pattern of the position for shifts starting then.
 */
export const rotationRequestSchema = z
  .strictObject({
    centerId: z.uuid(),
    position: positionCodeSchema,
    shiftHours: z.number().int().min(1).max(24),
    anchor: localDateTimeSchema,
    staffIds: staffListSchema,
    perShift: z.number().int().min(1).max(50).default(1),
    validFrom: localDateSchema.optional(),
    validTo: localDateSchema.nullable().optional(),
    specialDayId: z.uuid().nullable().optional(),
  })
  .refine((r) => !r.validFrom || !r.validTo || r.validTo >= r.validFrom, {
    path: ['validTo'],
    message: 'must not be before validFrom',
  })
  .refine((r) => r.specialDayId || r.validFrom, {
    path: ['validFrom'],
    message: 'required for a regular rotation',
  });
export type RotationRequest = z.infer<typeof rotationRequestSchema>;

/**
 * `PATCH /api/v1/roster/rotations/:id`: from `effectiveFrom` (a local date, not in the past) on,
 * the rotation follows the new pattern. A rotation that has already run is closed the day before
 * and a new one starts that day, so the past stays as it was (history); one that has not started
 * yet is changed in place.
 */
export const rotationUpdateSchema = z
  .strictObject({
    effectiveFrom: localDateSchema,
    shiftHours: z.number().int().min(1).max(24).optional(),
    anchor: localDateTimeSchema.optional(),
    staffIds: staffListSchema.optional(),
    perShift: z.number().int().min(1).max(50).optional(),
    validTo: localDateSchema.nullable().optional(),
  })
  .refine((r) => !r.validTo || r.validTo >= r.effectiveFrom, {
    path: ['validTo'],
    message: 'must not be before effectiveFrom',
  });
export type RotationUpdate = z.infer<typeof rotationUpdateSchema>;

export interface RotationResponse {
  id: string;
  centerId: string;
  position: string;
  shiftHours: number;
  anchor: string;
  staffIds: string[];
  perShift: number;
  validFrom: string;
  validTo: string | null;
  specialDayId: string | null;
}

/** `POST /api/v1/roster/special-days`: a holiday of one center (Tết, 2/9) that may get its own rotations. */
export const specialDayRequestSchema = z.strictObject({
  centerId: z.uuid(),
  date: localDateSchema,
  name: z.string().trim().min(1).max(200),
});
export type SpecialDayRequest = z.infer<typeof specialDayRequestSchema>;

/** `PATCH /api/v1/roster/special-days/:id`: rename or move a holiday that has not passed. */
export const specialDayUpdateSchema = z
  .strictObject({
    date: localDateSchema.optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((r) => r.date !== undefined || r.name !== undefined, {
    path: ['name'],
    message: 'nothing to change: give date or name',
  });
export type SpecialDayUpdate = z.infer<typeof specialDayUpdateSchema>;

/** `POST /api/v1/roster/swaps/:id/reject`: the commander turns a proposed swap down. */
export const swapRejectSchema = z.strictObject({
  reason: reasonSchema.optional(),
});

/* Calendar feeds: iCal (RFC 5545) at unguessable URLs, no login, revocable. */
export const CALENDAR_FEED_KINDS = ['center', 'person'] as const;

/** `POST /api/v1/calendar/feeds`: a feed of one center's shifts, or of one person's. */
export const calendarFeedRequestSchema = z
  .strictObject({
    kind: z.enum(CALENDAR_FEED_KINDS),
    centerId: z.uuid().optional(),
    staffId: z.uuid().optional(),
    label: z.string().trim().min(1).max(200).optional(),
  })
  .refine((f) => f.kind !== 'center' || f.centerId, {
    path: ['centerId'],
    message: 'required for a center feed',
  })
  .refine((f) => f.kind !== 'person' || f.staffId, {
    path: ['staffId'],
    message: 'required for a person feed',
  });
export type CalendarFeedRequest = z.infer<typeof calendarFeedRequestSchema>;

/** `GET /api/v1/calendar/feeds?centerId=`: the feeds of one center (never their tokens). */
export const calendarFeedListQuerySchema = z.strictObject({
  centerId: z.uuid(),
});

/** `?centerId=` of the reads of one command center (its rotations). */
export const centerQuerySchema = z.strictObject({ centerId: z.uuid() });

export interface CalendarFeedResponse {
  id: string;
  kind: (typeof CALENDAR_FEED_KINDS)[number];
  centerId: string;
  staffId: string | null;
  label: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  /** Only in the answer that created it: the secret URL (the token is stored hashed). */
  url?: string;
}
