import { z } from 'zod';
import { idSchema, instant, uuid } from './event-parts';
import { TEST_METHODS, TEST_RESULTS } from './events';
import { LAB_UPLOAD_STATUSES, RETEST_REASONS } from './events-testing';
import { unitCodeSchema } from './units';

/* Lab results, pools, bulk uploads and retests (docs/decisions/0013-lab-testing.md). */

export const labCodeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'lab code: letters, digits, ".", "_" or "-"');

/** The fields of one result, shared by the single request and each row of an upload. */
const resultFields = {
  sampleId: idSchema,
  unit: unitCodeSchema,
  method: z.enum(TEST_METHODS),
  result: z.enum(TEST_RESULTS),
  collectedAt: instant,
  resultedAt: instant.optional(),
  /** A person of the case registry (`people.id`). */
  personId: uuid.optional(),
  /** A case of the registry (`cases.id`); with personId, that person's case. */
  caseId: uuid.optional(),
  /** A registered pool (`POST /api/v1/lab-pools`): the result is the pool's. */
  poolId: uuid.optional(),
  /** Screening: the program and site the sample was taken for. */
  programId: uuid.optional(),
  siteId: uuid.optional(),
};

type ResultShape = {
  collectedAt: string;
  resultedAt?: string;
  personId?: string;
  poolId?: string;
  siteId?: string;
  programId?: string;
};
function checkResult(r: ResultShape, ctx: z.RefinementCtx): void {
  if (r.resultedAt && Date.parse(r.resultedAt) < Date.parse(r.collectedAt)) {
    ctx.addIssue({ code: 'custom', path: ['resultedAt'], message: 'must not be before collectedAt' });
  }
  if (r.personId && r.poolId) {
    ctx.addIssue({
      code: 'custom',
      path: ['poolId'],
      message: 'a pool result names no person (the pool has members)',
    });
  }
  if (r.siteId && !r.programId) {
    ctx.addIssue({ code: 'custom', path: ['programId'], message: 'required with siteId' });
  }
}

/** `POST /api/v1/lab-results`: one result (role lab or above, unit within the caller's jurisdiction). */
export const labResultRequestSchema = z
  .strictObject({ labCode: labCodeSchema, ...resultFields })
  .superRefine(checkResult);
export type LabResultRequest = z.infer<typeof labResultRequestSchema>;

/** One row of a bulk upload: the same fields; the lab is the upload's. */
export const labUploadRowSchema = z.strictObject(resultFields).superRefine(checkResult);
export type LabUploadRow = z.infer<typeof labUploadRowSchema>;
/** Column names of the CSV format (header row required, any order, only these). */
export const LAB_UPLOAD_COLUMNS = Object.keys(resultFields) as (keyof typeof resultFields)[];
export const MAX_LAB_UPLOAD_ROWS = 100_000;

export interface RetestEntry {
  id: string;
  reason: (typeof RETEST_REASONS)[number];
  personId: string | null;
  sampleId: string;
  poolId: string | null;
  sourceTestId: string;
  unit: string;
  requiredMethod: 'rt-pcr';
  status: 'open' | 'done';
  createdAt: string;
  resolvedByTestId: string | null;
}

export interface LabResultResponse {
  id: string;
  eventId: string;
  seq: number;
  /** Retest entries this result opened (antigen positive, positive pool). */
  retests: RetestEntry[];
}

/**
 * `GET /api/v1/lab-results?unit=CODE&from=DAY&to=DAY&limit=N`: the results of a unit's subtree,
 * whichever path they came in by (a lab, an upload, a case, an integration's `test.resulted`),
 * newest first; days are those of the deployment's time zone, by the time the result came.
 */
export const labResultListQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export interface LabResultEntry {
  id: string;
  /** The result's `test.resulted`. */
  eventId: string;
  /** The lab, or `unit:CODE` for a result whose sender named no lab (decision 0028). */
  labCode: string;
  sampleId: string;
  unit: string;
  method: (typeof TEST_METHODS)[number];
  result: (typeof TEST_RESULTS)[number];
  collectedAt: string;
  resultedAt: string;
  personId: string | null;
  caseId: string | null;
  poolId: string | null;
  uploadId: string | null;
}
export interface LabResultListResponse {
  unit: string;
  results: LabResultEntry[];
}

/** `POST /api/v1/lab-pools`: one pooled sample of 2..50 people. */
export const labPoolRequestSchema = z
  .strictObject({
    labCode: labCodeSchema,
    poolSampleId: idSchema,
    unit: unitCodeSchema,
    collectedAt: instant,
    members: z
      .array(z.strictObject({ personId: uuid, sampleId: idSchema.optional() }))
      .min(2)
      .max(50),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.members.forEach((m, i) => {
      if (seen.has(m.personId)) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'personId'], message: 'listed twice' });
      }
      seen.add(m.personId);
    });
  });
export type LabPoolRequest = z.infer<typeof labPoolRequestSchema>;

export interface LabPoolResponse {
  id: string;
  labCode: string;
  poolSampleId: string;
  unit: string;
  members: { personId: string; sampleId: string | null }[];
}

/** `GET /api/v1/retests?unit=CODE&status=open`: the retest list of a unit's subtree. */
export const retestListQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  status: z.enum(['open', 'done', 'all']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});
export interface RetestListResponse {
  unit: string;
  retests: RetestEntry[];
}

/** `POST /api/v1/lab-uploads?lab=CODE&unit=CODE` with a `text/csv` or `application/json` body. */
export const labUploadQuerySchema = z.strictObject({
  lab: labCodeSchema,
  /** The unit the upload belongs to (who may follow it); default the caller's home unit. */
  unit: unitCodeSchema.optional(),
});

export interface LabUploadStatusResponse {
  id: string;
  labCode: string;
  unit: string;
  format: 'csv' | 'json';
  sha256: string;
  status: (typeof LAB_UPLOAD_STATUSES)[number];
  totalRows: number;
  /** Rows handled so far (committed, refused or found already recorded). */
  rowsDone: number;
  committed: number;
  errors: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  failureReason: string | null;
  /** True when the same file had already been uploaded for this lab (this is that upload). */
  alreadyUploaded?: boolean;
}

/** `GET /api/v1/lab-uploads?limit=20`: the caller's own uploads, newest first. */
export const labUploadListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export interface LabUploadListResponse {
  uploads: LabUploadStatusResponse[];
}

/** `GET /api/v1/lab-uploads/:id/errors?offset=0&limit=1000` (`/errors.csv`: all of them as CSV). */
export const labUploadErrorsQuerySchema = z.strictObject({
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});
export interface LabUploadRowError {
  /** 1 = the first data row (the line after the CSV header; the first element of a JSON array). */
  row: number;
  field: string;
  message: string;
}
export interface LabUploadErrorsResponse {
  uploadId: string;
  /** Rows refused (a row with several bad fields has one entry per field in `errors`). */
  total: number;
  errors: LabUploadRowError[];
}

/* Screening programs (docs/decisions/0013-lab-testing.md): who or which site must be tested how often. */
export const SCREENING_TARGET_GROUPS = [
  'delivery-point-workers',
  'teachers',
  'market-vendors',
  'healthcare-workers',
  'drivers',
  'factory-workers',
  'other',
] as const;
export const SCREENING_CADENCES = ['daily', 'weekly', 'every-n-days'] as const;
export const SCREENING_STATUSES = ['ok', 'due', 'overdue'] as const;
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];

/** `POST /api/v1/screening/programs`: the program, its sites and the people enrolled (by id). */
export const screeningProgramRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    targetGroup: z.enum(SCREENING_TARGET_GROUPS),
    unit: unitCodeSchema,
    cadence: z.enum(SCREENING_CADENCES),
    /** With cadence every-n-days: N (1..365). */
    everyDays: z.int().min(1).max(365).optional(),
    /** Hours after the due time before a target counts as overdue (default 24). */
    graceHours: z.int().min(0).max(8760).optional(),
    /** When the first test is due (default now). */
    startsAt: instant.optional(),
    sites: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1).max(200),
          unit: unitCodeSchema,
          lat: z.number().min(-90).max(90),
          lon: z.number().min(-180).max(180),
        }),
      )
      .max(2000)
      .default([]),
    people: z
      .array(
        z.strictObject({
          personId: uuid,
          unit: unitCodeSchema,
          /** Index of the person's site in `sites`. */
          site: z.int().min(0).optional(),
        }),
      )
      .max(20_000)
      .default([]),
  })
  .superRefine((p, ctx) => {
    if (p.cadence === 'every-n-days' && p.everyDays === undefined) {
      ctx.addIssue({ code: 'custom', path: ['everyDays'], message: 'required with cadence every-n-days' });
    }
    if (p.cadence !== 'every-n-days' && p.everyDays !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['everyDays'], message: 'only with cadence every-n-days' });
    }
    const seen = new Set<string>();
    p.people.forEach((person, i) => {
      if (person.site !== undefined && person.site >= p.sites.length) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'site'], message: 'no such site in sites' });
      }
      if (seen.has(person.personId)) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'personId'], message: 'listed twice' });
      }
      seen.add(person.personId);
    });
  });
export type ScreeningProgramRequest = z.infer<typeof screeningProgramRequestSchema>;

export interface ScreeningProgram {
  id: string;
  name: string;
  targetGroup: (typeof SCREENING_TARGET_GROUPS)[number];
  unit: string;
  cadenceDays: number;
  graceHours: number;
  startsAt: string;
  sites: { id: string; name: string; unit: string; lat: number; lon: number }[];
  people: number;
}

export interface ScreeningSiteStatus {
  id: string;
  programId: string;
  name: string;
  unit: string;
  lat: number;
  lon: number;
  people: number;
  lastTestedAt: string | null;
  dueAt: string;
  status: ScreeningStatus;
}

export interface ScreeningPersonStatus {
  programId: string;
  personId: string;
  siteId: string | null;
  unit: string;
  lastTestedAt: string | null;
  dueAt: string;
  status: ScreeningStatus;
}

/** `GET /api/v1/screening/programs?unit=CODE`: the active programs of the subtree with their counts now. */
export const screeningProgramListQuerySchema = z.strictObject({ unit: unitCodeSchema.optional() });
export interface ScreeningProgramSummary {
  id: string;
  name: string;
  targetGroup: (typeof SCREENING_TARGET_GROUPS)[number];
  unit: string;
  cadenceDays: number;
  graceHours: number;
  startsAt: string;
  /** Sites and people of the program within the unit asked for. */
  sites: ScreeningCounts;
  people: ScreeningCounts;
}
export interface ScreeningProgramListResponse {
  unit: string;
  at: string;
  programs: ScreeningProgramSummary[];
}

/** `GET /api/v1/screening/status?unit=CODE&programId=ID`: every site and person with its status now. */
export const screeningQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  programId: uuid.optional(),
});
export interface ScreeningStatusResponse {
  unit: string;
  at: string;
  sites: ScreeningSiteStatus[];
  people: ScreeningPersonStatus[];
}

export interface ScreeningCounts {
  total: number;
  ok: number;
  due: number;
  overdue: number;
  /** ok / total (1 when there is nothing to cover). */
  coverage: number;
}
/** `GET /api/v1/screening/coverage?unit=CODE&programId=ID`: per unit of the subtree that has targets. */
export interface ScreeningCoverageResponse {
  unit: string;
  at: string;
  total: { sites: ScreeningCounts; people: ScreeningCounts };
  units: { unit: string; sites: ScreeningCounts; people: ScreeningCounts }[];
}

/** `GET /api/v1/screening/sites?unit=CODE&programId=ID`: sites for the map, overdue first. */
export interface ScreeningSitesMapResponse {
  unit: string;
  at: string;
  sites: ScreeningSiteStatus[];
}
