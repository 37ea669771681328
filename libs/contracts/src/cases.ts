import { z } from 'zod';
import { unitCodeSchema } from './units';
import { CONTACT_SETTINGS, locationSchema, SEXES, TEST_METHODS, TEST_RESULTS } from './events';
import { CASE_CLASSIFICATIONS, CASE_STATUSES } from './events-cases';

/* People, cases and tracing (docs/decisions/0012-cases-and-tracing.md). Personal fields live
 * in `people` only and come back over REST to allowed roles, each read audited. */

const isoDay = z.iso.date();
const instant = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

export const personInputSchema = z.strictObject({
  fullName: text(200),
  birthYear: z.int().min(1900).max(2100).optional(),
  sex: z.enum(SEXES).default('unknown'),
  phone: z
    .string()
    .regex(/^\+?[0-9 .-]{6,20}$/, 'phone number: 6 to 20 digits')
    .optional(),
  /** CCCD / CMND: 9 or 12 digits. */
  nationalId: z
    .string()
    .regex(/^([0-9]{9}|[0-9]{12})$/, 'national ID: 9 or 12 digits')
    .optional(),
  address: text(500).optional(),
  unit: unitCodeSchema,
  location: locationSchema.optional(),
});
export type PersonInput = z.infer<typeof personInputSchema>;

/** Every personal field of a person (audit rows name these). */
export const PERSON_FIELDS = [
  'fullName',
  'birthYear',
  'sex',
  'phone',
  'nationalId',
  'address',
  'location',
] as const;

export const personSchema = z.strictObject({
  id: z.uuid(),
  /** null for a person known only through an integration, which sends no personal data. */
  fullName: z.string().nullable(),
  birthYear: z.int().nullable(),
  sex: z.enum(SEXES),
  phone: z.string().nullable(),
  nationalId: z.string().nullable(),
  address: z.string().nullable(),
  unit: unitCodeSchema,
  location: locationSchema.nullable(),
  createdAt: instant,
});
export type Person = z.infer<typeof personSchema>;

export const ISOLATION_KINDS = ['facility', 'home'] as const;

export const exposureSchema = z.strictObject({
  date: isoDay,
  setting: z.enum(CONTACT_SETTINGS),
  place: text(300).optional(),
});

/** `POST /api/v1/cases`: a new F0, F1, F2 or suspected case for a person (existing or new). */
export const createCaseSchema = z
  .strictObject({
    personId: z.uuid().optional(),
    person: personInputSchema.optional(),
    classification: z.enum(['F0', 'F1', 'F2', 'suspected']),
    /** Default: the person's unit. */
    unit: unitCodeSchema.optional(),
    isolation: z
      .strictObject({ kind: z.enum(ISOLATION_KINDS), place: text(300).optional() })
      .optional(),
    /** First day of monitoring (default: today, or the exposure date for contacts). */
    monitoringStart: isoDay.optional(),
    /** F1: the F0 they were exposed to; F2: the F1. */
    sourceCaseId: z.uuid().optional(),
    exposure: exposureSchema.optional(),
    /** F0: how it was confirmed. */
    method: z.enum(TEST_METHODS).optional(),
    source: z.enum(['community', 'quarantine', 'imported', 'screening', 'unknown']).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.personId === !v.person)
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'give exactly one of personId or person' });
    if ((v.classification === 'F1' || v.classification === 'F2') && !v.sourceCaseId)
      ctx.addIssue({ code: 'custom', path: ['sourceCaseId'], message: `required for an ${v.classification}` });
    if (v.sourceCaseId && !v.exposure)
      ctx.addIssue({ code: 'custom', path: ['exposure'], message: 'required with sourceCaseId' });
  });
export type CreateCaseRequest = z.infer<typeof createCaseSchema>;

export const statusChangeSchema = z.strictObject({
  to: z.enum(CASE_STATUSES),
  note: z.string().max(500).optional(),
});

/** `POST /api/v1/cases/:id/tests`: a result recorded on the case (emits `test.resulted`). */
export const caseTestSchema = z.strictObject({
  testId: text(64).optional(),
  sampleId: text(64).optional(),
  method: z.enum(TEST_METHODS),
  result: z.enum(TEST_RESULTS),
  takenAt: instant.optional(),
  labCode: text(64).optional(),
});
export type CaseTestRequest = z.infer<typeof caseTestSchema>;

export const caseSummarySchema = z.strictObject({
  id: z.uuid(),
  personId: z.uuid(),
  classification: z.enum(CASE_CLASSIFICATIONS),
  status: z.enum(CASE_STATUSES),
  unit: unitCodeSchema,
  isolation: z
    .strictObject({ kind: z.enum(ISOLATION_KINDS), place: z.string().nullable() })
    .nullable(),
  monitoringStart: isoDay,
  monitoringDays: z.int(),
  monitoringEnds: isoDay,
  repositive: z.boolean(),
  sourceCaseId: z.uuid().nullable(),
  exposure: z
    .strictObject({ date: isoDay, setting: z.enum(CONTACT_SETTINGS), place: z.string().nullable() })
    .nullable(),
  exitTestAt: instant.nullable(),
  proposalTestId: z.string().nullable(),
  clusterId: z.uuid().nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseHistoryEntrySchema = z.strictObject({
  at: instant,
  fromClassification: z.enum(CASE_CLASSIFICATIONS).nullable(),
  toClassification: z.enum(CASE_CLASSIFICATIONS),
  fromStatus: z.enum(CASE_STATUSES).nullable(),
  toStatus: z.enum(CASE_STATUSES),
  actor: z.string(),
  /** The display name of the account that made the change; null for the system's rules. */
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  eventId: z.uuid().nullable(),
});

export const caseDetailSchema = caseSummarySchema.extend({
  history: z.array(caseHistoryEntrySchema),
  tests: z.array(
    z.strictObject({
      testId: z.string(),
      method: z.enum(TEST_METHODS),
      result: z.enum(TEST_RESULTS),
      takenAt: instant,
    }),
  ),
  contacts: z.array(z.strictObject({ id: z.uuid(), classification: z.enum(CASE_CLASSIFICATIONS), status: z.enum(CASE_STATUSES) })),
  /** Only for roles allowed to read personal data (audited); otherwise absent. */
  person: personSchema.optional(),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const caseListQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  classification: z.enum(CASE_CLASSIFICATIONS).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  cluster: z.uuid().optional(),
  /** Only cases with an F0 proposal waiting for the duty officer (a positive result to confirm). */
  proposed: z.enum(['true', 'false']).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  /** Keyset paging: the cases that follow this one in the list order (newest first). */
  after: z.uuid().optional(),
});

/** `GET /api/v1/clusters?unit=&minSize=`. */
export const clusterQuerySchema = z.strictObject({
  unit: unitCodeSchema.optional(),
  minSize: z.coerce.number().int().min(2).max(100_000).optional(),
});

export const chainQuerySchema = z.strictObject({
  depth: z.coerce.number().int().min(1).max(10).default(3),
  direction: z.enum(['up', 'down', 'both']).default('both'),
});

export const chainNodeSchema = z.strictObject({
  id: z.uuid(),
  classification: z.enum(CASE_CLASSIFICATIONS),
  status: z.enum(CASE_STATUSES),
  unit: unitCodeSchema,
  /** Hops from the case asked about (negative: towards the sources). */
  depth: z.int(),
});
export const chainEdgeSchema = z.strictObject({
  source: z.uuid(),
  contact: z.uuid(),
  exposureDate: isoDay.nullable(),
  setting: z.enum(CONTACT_SETTINGS).nullable(),
});
export const chainResponseSchema = z.strictObject({
  root: z.uuid(),
  nodes: z.array(chainNodeSchema),
  edges: z.array(chainEdgeSchema),
  /** Some nodes are outside the caller's jurisdiction and left out. */
  truncated: z.boolean(),
});
export type ChainResponse = z.infer<typeof chainResponseSchema>;

export const clusterSchema = z.strictObject({
  id: z.uuid(),
  indexCaseId: z.uuid(),
  size: z.int(),
  units: z.array(unitCodeSchema),
  f0: z.int(),
  detectedAt: instant,
});
export type Cluster = z.infer<typeof clusterSchema>;

export const auditQuerySchema = z.strictObject({
  actor: z.string().min(1).max(100).optional(),
  record: z.string().min(1).max(100).optional(),
  recordType: z.string().min(1).max(50).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const auditRowSchema = z.strictObject({
  id: z.string(),
  at: instant,
  actorUserId: z.string(),
  actorUsername: z.string(),
  actorRole: z.string(),
  action: z.enum(['read', 'export', 'change']),
  recordType: z.string(),
  recordId: z.string(),
  fields: z.array(z.string()),
  unit: z.string().nullable(),
  clientIp: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const IMPORT_MODES = ['all-or-nothing', 'valid-rows'] as const;
export const caseImportSchema = z.strictObject({
  csv: z.string().min(1).max(3_000_000),
  mode: z.enum(IMPORT_MODES).default('all-or-nothing'),
  dryRun: z.boolean().default(false),
});
export const importRowErrorSchema = z.strictObject({
  row: z.int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;
