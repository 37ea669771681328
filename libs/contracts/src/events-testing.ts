import { z } from 'zod';
import { idSchema, instant, uuid } from './event-parts';
import { defineEvent } from './event-registry';

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

export const TESTING_EVENTS = {
  'retest.required': defineEvent(retestRequiredPayload, {
    severity: 'warning',
    submit: { server: 'POST /api/v1/lab-results (the server asks for the retest itself)' },
  }),
  'lab-upload.progressed': defineEvent(labUploadProgressedPayload, {
    severity: 'info',
    submit: { server: 'POST /api/v1/lab-uploads (the worker reports its progress)' },
    feed: false,
  }),
  'screening.due': defineEvent(screeningDuePayload, {
    severity: 'info',
    submit: { server: 'nothing: the worker checks screening programs itself' },
  }),
  'screening.overdue': defineEvent(screeningOverduePayload, {
    severity: 'warning',
    submit: { server: 'nothing: the worker checks screening programs itself' },
  }),
};
