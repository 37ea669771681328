import { z } from 'zod';

/**
 * Administrative units form a tree of any depth (province -> district -> commune in 2021,
 * province -> commune after the 2025 reform). `level` is a label, never a depth assumption.
 */
export const UNIT_LEVELS = ['country', 'province', 'district', 'commune', 'village'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export const unitCodeSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'unit code: letters, digits, "_" or "-"');

export const unitSummarySchema = z.strictObject({
  code: unitCodeSchema,
  name: z.string(),
  level: z.enum(UNIT_LEVELS),
  parentCode: unitCodeSchema.nullable(),
});
export type UnitSummary = z.infer<typeof unitSummarySchema>;
