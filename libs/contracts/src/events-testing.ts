import { z } from 'zod';
import { idSchema, instant, uuid, type Severity } from './event-parts';

/**
 * Lab testing and screening events (events.md: `retest.required`, `screening.due`,
 * `screening.overdue`; docs/decisions/0013-lab-testing.md). `test.resulted` itself is in
 * events.ts; a pool's result is the `test.resulted` of its pool sample (with `poolId`,
 * `poolSize`). Payloads carry ids and codes only: people are referenced by id.
 */

export const RETEST_REASONS = ['antigen-confirmation', 'pool-positive'] as const;
export const LAB_UPLOAD_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;

/** Someone (or a sample with no person yet) must be tested again by RT-PCR. */
export const retestRequiredPayload = z.strictObject({
  retestId: uuid,
  reason: z.enum(RETEST_REASONS),
  /** The result that triggered it (an antigen positive, a positive pool). */
  sourceTestId: uuid,
  sampleId: idSchema,
  personId: uuid.optional(),
  poolId: uuid.optional(),
  requiredMethod: z.literal('rt-pcr'),
});

/** Progress of a bulk lab upload: counts only, never row content. Throttled to about 2 per second. */
export const labUploadProgressedPayload = z.strictObject({
  uploadId: uuid,
  status: z.enum(LAB_UPLOAD_STATUSES),
  rowsDone: z.int().min(0),
  totalRows: z.int().min(0),
  committed: z.int().min(0),
  errors: z.int().min(0),
});

const screeningTarget = {
  programId: uuid,
  /** A site of the program, or a person enrolled in it (one of the two). */
  siteId: uuid.optional(),
  personId: uuid.optional(),
  /** When the next test was due. */
  dueAt: instant,
};
/** A program's site or person reached its next test date. */
export const screeningDuePayload = z.strictObject(screeningTarget);
/** A program's site or person is past its test date plus the program's grace period. */
export const screeningOverduePayload = z.strictObject(screeningTarget);

export const TESTING_EVENT_PAYLOADS = {
  'retest.required': retestRequiredPayload,
  'lab-upload.progressed': labUploadProgressedPayload,
  'screening.due': screeningDuePayload,
  'screening.overdue': screeningOverduePayload,
} as const;

export const TESTING_EVENT_SEVERITY: Record<keyof typeof TESTING_EVENT_PAYLOADS, Severity> = {
  'retest.required': 'warning',
  'lab-upload.progressed': 'info',
  'screening.due': 'info',
  'screening.overdue': 'warning',
};

/** Created only by the server after its checks; refused by `POST /api/v1/events`. */
export const TESTING_SYSTEM_EVENT_TYPES: readonly (keyof typeof TESTING_EVENT_PAYLOADS)[] = [
  'retest.required',
  'lab-upload.progressed',
  'screening.due',
  'screening.overdue',
];
