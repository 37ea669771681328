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
