import { z } from 'zod';
import { unitCodeSchema } from './units';
import { CASE_EVENTS } from './events-cases';
import { TESTING_EVENTS } from './events-testing';
import { DISPATCH_EVENTS } from './events-dispatch';
import type { Severity } from './event-parts';
import { COMMAND_ROLES, defineEvent, type EventDefinition, eventLabelKey } from './event-registry';
import type { Role } from './roles';

/** Event catalogue: payload schemas, then the registry of every type (EVENT_REGISTRY). Payloads
 *  carry ids and codes, never personal data (except a type's `personal` fields, which the server
 *  strips into a scoped table). */

const idSchema = z.string().min(1).max(64);
const isoDate = z.iso.date();

/* Areas with many types keep them in their own file and are merged below: events-cases.ts
 * (cases, tracing), events-testing.ts (lab results, pools, screening), events-dispatch.ts
 * (reports after intake, tasks, teams, zones). */

export const CASE_SOURCES = [
  'community',
  'quarantine',
  'imported',
  'screening',
  'unknown',
] as const;
export const TEST_METHODS = ['rt-pcr', 'antigen'] as const;
export const TEST_RESULTS = ['positive', 'negative', 'inconclusive'] as const;
export const CONTACT_SETTINGS = [
  'household',
  'workplace',
  'market',
  'vehicle',
  'school',
  'healthcare',
  'gathering',
  'other',
] as const;
export const REPORT_CHANNELS = ['hotline', 'officer', 'public-form', 'integration'] as const;
export const REPORT_CATEGORIES = [
  'suspected-case',
  'illegal-entry',
  'quarantine-violation',
  'gathering',
  'other',
] as const;
export const SEXES = ['male', 'female', 'unknown'] as const;

export const caseConfirmedPayload = z.strictObject({
  caseId: idSchema,
  method: z.enum(TEST_METHODS),
  source: z.enum(CASE_SOURCES),
  /** F1 who tested positive: the contact case id it came from. */
  previousCaseId: idSchema.optional(),
  repositive: z.boolean().optional(),
  ageBand: z.enum(['0-17', '18-39', '40-59', '60+']).optional(),
  sex: z.enum(SEXES).optional(),
});

export const contactIdentifiedPayload = z.strictObject({
  contactId: idSchema,
  classification: z.enum(['F1', 'F2']),
  /** The case this contact was exposed to (an F0 for F1, an F1 for F2). */
  sourceCaseId: idSchema,
  exposureDate: isoDate,
  setting: z.enum(CONTACT_SETTINGS),
});

export const testResultedPayload = z.strictObject({
  testId: idSchema,
  sampleId: idSchema,
  poolId: idSchema.optional(),
  poolSize: z.int().min(2).max(50).optional(),
  method: z.enum(TEST_METHODS),
  result: z.enum(TEST_RESULTS),
  caseId: idSchema.optional(),
  labCode: z.string().min(1).max(64).optional(),
  /** The person tested (an id; their personal data stays in the people registry). */
  personId: z.uuid().optional(),
});

export const reportReceivedPayload = z.strictObject({
  channel: z.enum(REPORT_CHANNELS),
  category: z.enum(REPORT_CATEGORIES),
  description: z.string().min(1).max(2000),
  callerPhone: z
    .string()
    .regex(/^\+?[0-9 .-]{6,20}$/, 'phone number: 6 to 20 digits')
    .optional(),
  /** The location is the label point of the unit the reporter picked, not where they were. */
  placeFromUnit: z.literal(true).optional(),
  /** Who called, as they gave their name (a call entered by a duty officer). */
  callerName: z.string().trim().min(1).max(120).optional(),
  /** The address the caller gave (a house, a street): personal, kept apart like the phone. */
  address: z.string().trim().min(1).max(300).optional(),
});

/** A duty officer acknowledged an urgent report in the console; every console sees it. */
export const reportAcknowledgedPayload = z.strictObject({
  reportId: z.uuid(),
  note: z.string().max(500).optional(),
});

/* Rosters (docs/decisions/0009-roster-alerts.md). Created only by the roster module and the worker,
 * never through POST /api/v1/events. Staff are referenced by id: names and phones stay in duty_staff. */
const uuid = z.uuid();
const instant = z.iso.datetime({ offset: true });
const positionCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'position code: lowercase letters, digits, -')
  .max(64);
export const ROSTER_CHANGES = ['override', 'swap', 'leave', 'rotation', 'special-day'] as const;
export const ROSTER_CHANGE_ACTIONS = ['created', 'updated', 'approved', 'rejected'] as const;

/** A hand change to a center's roster was committed (the row is `recordId` of the table the change names). */
export const rosterChangedPayload = z.strictObject({
  centerId: uuid,
  change: z.enum(ROSTER_CHANGES),
  recordId: uuid,
  /** What happened to the record (absent on events written before it existed: created / approved). */
  action: z.enum(ROSTER_CHANGE_ACTIONS).optional(),
});

/** A stretch of time in which a position has fewer people on duty than it requires. */
export const coverageGapDetectedPayload = z.strictObject({
  centerId: uuid,
  position: positionCode,
  from: instant,
  to: instant,
  required: z.int().min(1),
  present: z.int().min(0),
  /** The gap starts within the hour (or has started). */
  urgent: z.boolean(),
});

/** A gap reported earlier is staffed again (or no longer required). */
export const coverageGapClosedPayload = z.strictObject({
  centerId: uuid,
  position: positionCode,
  from: instant,
  to: instant,
});

const shiftPerson = {
  centerId: uuid,
  position: positionCode,
  staffId: uuid,
  shiftStart: instant,
};
export const shiftCheckedInPayload = z.strictObject(shiftPerson);
/** A duty officer's shift began more than 10 minutes ago and they have not checked in. */
export const shiftMissedCheckInPayload = z.strictObject(shiftPerson);
export const shiftHandedOverPayload = z.strictObject({
  centerId: uuid,
  position: positionCode,
  shiftStart: instant,
  handoverId: uuid,
});

const coverageChecks = { server: 'nothing: the server detects coverage gaps itself' };

/**
 * The event registry: every event type and all that is known about it, in one place. The
 * payload schemas, severities, personal fields, submission rights and feed visibility used by
 * the api, the worker and the console are all read from here.
 */
export const EVENT_REGISTRY = {
  'case.confirmed': defineEvent(caseConfirmedPayload, { severity: 'critical', submit: { roles: COMMAND_ROLES } }),
  'contact.identified': defineEvent(contactIdentifiedPayload, {
    severity: 'warning',
    submit: { roles: [...COMMAND_ROLES, 'field-team'] },
  }),
  'test.resulted': defineEvent(testResultedPayload, { severity: 'info', submit: { roles: [...COMMAND_ROLES, 'lab'] } }),
  'report.received': defineEvent(reportReceivedPayload, {
    severity: 'critical',
    submit: { roles: [...COMMAND_ROLES, 'field-team'] },
    personal: ['callerPhone', 'callerName', 'address'],
  }),
  'report.acknowledged': defineEvent(reportAcknowledgedPayload, {
    severity: 'info',
    submit: { server: 'POST /api/v1/reports/{reportId}/acknowledge' },
  }),
  'roster.changed': defineEvent(rosterChangedPayload, {
    severity: 'info',
    submit: { server: 'the roster endpoints (POST /api/v1/roster/overrides, /swaps, /leave)' },
  }),
  // Severity is per type: a gap is a warning; the payload's `urgent` (starts within the hour)
  // is what makes the console treat one as critical. A missed check-in is always critical.
  'coverage.gap-detected': defineEvent(coverageGapDetectedPayload, { severity: 'warning', submit: coverageChecks }),
  'coverage.gap-closed': defineEvent(coverageGapClosedPayload, { severity: 'info', submit: coverageChecks }),
  'shift.checked-in': defineEvent(shiftCheckedInPayload, { severity: 'info', submit: { server: 'POST /api/v1/roster/check-in' } }),
  'shift.missed-check-in': defineEvent(shiftMissedCheckInPayload, {
    severity: 'critical',
    submit: { server: 'nothing: the worker raises missed check-ins itself' },
  }),
  'shift.handed-over': defineEvent(shiftHandedOverPayload, { severity: 'info', submit: { server: 'POST /api/v1/roster/handover' } }),
  ...CASE_EVENTS,
  ...TESTING_EVENTS,
  ...DISPATCH_EVENTS,
} as const;

export type EventType = keyof typeof EVENT_REGISTRY;
export const EVENT_TYPES = Object.keys(EVENT_REGISTRY) as EventType[];
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_REGISTRY)[T]['payload']>;

const registryEntries = Object.entries(EVENT_REGISTRY) as [EventType, EventDefinition][];
const typesWhere = (keep: (definition: EventDefinition) => boolean): readonly EventType[] =>
  registryEntries.filter(([, definition]) => keep(definition)).map(([type]) => type);

/** Payload schemas by type. */
export const EVENT_PAYLOADS = Object.fromEntries(registryEntries.map(([type, d]) => [type, d.payload])) as {
  [T in EventType]: (typeof EVENT_REGISTRY)[T]['payload'];
};

/** Types only the server creates (after checking what they claim): refused by `POST /api/v1/events`. */
export const SYSTEM_EVENT_TYPES = typesWhere((d) => 'server' in d.submit);

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_REGISTRY, type);
}

/** What creates a server-only type (named to a caller who submits it), or null if clients may. */
export function serverCreatorOf(type: EventType): string | null {
  const { submit } = EVENT_REGISTRY[type];
  return 'server' in submit ? submit.server : null;
}

/** Whether a role may submit the type through `POST /api/v1/events` (within its jurisdiction). */
export function maySubmitEvent(role: Role, type: EventType): boolean {
  const { submit } = EVENT_REGISTRY[type];
  return 'roles' in submit && submit.roles.includes(role);
}

/** Report categories that ring in the console and wait for an acknowledgement. */
export const URGENT_REPORT_CATEGORIES: readonly (typeof REPORT_CATEGORIES)[number][] = [
  'suspected-case',
  'illegal-entry',
  'quarantine-violation',
  'gathering',
];

/** Payload fields that are personal data: stored apart, read over REST only, never pushed. */
export const PERSONAL_FIELDS = Object.fromEntries(
  registryEntries.filter(([, d]) => d.personal.length > 0).map(([type, d]) => [type, d.personal]),
) as { [T in EventType]?: readonly (keyof EventPayload<T>)[] };

export type { Severity } from './event-parts';
/** Severity is a property of the type (events.md), used by the console to colour the feed. */
export const EVENT_SEVERITY = Object.fromEntries(registryEntries.map(([type, d]) => [type, d.severity])) as Record<
  EventType,
  Severity
>;

/** Types pushed to the sockets but never listed in the console's feed (see EventDefinition.feed). */
export const FEED_HIDDEN_EVENT_TYPES = typesWhere((d) => !d.feed);

/** The i18n keys of the labels of every type, for the console's messages. */
export type EventLabelKey = `event.${EventType}`;
export const EVENT_LABEL_KEYS: readonly EventLabelKey[] = EVENT_TYPES.map((type) => eventLabelKey(type));

export const locationSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type GeoPoint = z.infer<typeof locationSchema>;

/** What a client sends: the envelope before the server adds seq, unitPath, actor, times. */
export const eventEnvelopeSchema = z.strictObject({
  id: z.uuid().optional(),
  type: z.string().min(1).max(64),
  unit: unitCodeSchema,
  occurredAt: z.iso.datetime({ offset: true }),
  location: locationSchema.optional(),
  drill: z.boolean().optional(),
  exerciseId: idSchema.optional(),
  payload: z.unknown(),
});

type EnvelopeBase = Omit<z.infer<typeof eventEnvelopeSchema>, 'type' | 'payload'>;
export type EventInput = {
  [T in EventType]: EnvelopeBase & { type: T; payload: EventPayload<T> };
}[EventType];

export interface ContractIssue {
  path: string;
  message: string;
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
    prefix,
  );
}

function issuesOf(error: z.ZodError, prefix: string): ContractIssue[] {
  return error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return {
      path: joinPath(prefix, issue.path),
      message: unknownKeys.length ? `unknown field(s): ${unknownKeys.join(', ')}` : issue.message,
    };
  });
}

/**
 * Validates one event: the envelope first, then the payload against its type's schema.
 * Issues name the field (`events[3].payload.channel`) so a caller can fix its input.
 */
export function parseEventInput(
  raw: unknown,
  prefix = '',
): { ok: true; value: EventInput } | { ok: false; issues: ContractIssue[] } {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: issuesOf(envelope.error, prefix) };
  const schema = (EVENT_PAYLOADS as Record<string, z.ZodType>)[envelope.data.type];
  if (!schema) {
    return {
      ok: false,
      issues: [
        {
          path: joinPath(prefix, ['type']),
          message: `unknown event type "${envelope.data.type}"; known: ${EVENT_TYPES.join(', ')}`,
        },
      ],
    };
  }
  const payload = schema.safeParse(envelope.data.payload);
  if (!payload.success)
    return { ok: false, issues: issuesOf(payload.error, joinPath(prefix, ['payload'])) };
  return { ok: true, value: { ...envelope.data, payload: payload.data } as EventInput };
}

/** An event as stored and pushed: server-set fields added, personal fields removed. */
export interface StoredEvent {
  id: string;
  seq: number;
  type: EventType;
  unit: string;
  unitPath: string[];
  occurredAt: string;
  recordedAt: string;
  actor: string;
  location?: GeoPoint;
  drill?: boolean;
  exerciseId?: string;
  payload: Record<string, unknown>;
}
