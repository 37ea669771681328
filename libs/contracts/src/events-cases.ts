import { z } from 'zod';
import { defineEvent } from './event-registry';

/**
 * Cases and tracing events (events.md: `case.*`, `cluster.detected`). The first types
 * (`case.confirmed`, `contact.identified`) are in events.ts with the spine's core catalogue.
 * Payloads carry case ids and codes only: names, phones, addresses stay in `people`.
 */
export const CASE_CLASSIFICATIONS = ['F0', 'F1', 'F2', 'suspected', 'cleared'] as const;
/** Contacts and suspected cases: identified -> quarantined -> tested -> released (or F0). */
export const CONTACT_STATUSES = ['identified', 'quarantined', 'tested', 'confirmed', 'released'] as const;
/** F0: admitted -> treated -> recovered / transferred / died. */
export const F0_STATUSES = ['proposed', 'admitted', 'treated', 'recovered', 'transferred', 'died'] as const;
export const CASE_STATUSES = [...CONTACT_STATUSES, ...F0_STATUSES] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CaseClassification = (typeof CASE_CLASSIFICATIONS)[number];

const caseId = z.uuid();
const classification = z.enum(CASE_CLASSIFICATIONS);
const status = z.enum(CASE_STATUSES);

/** A case moved along its status machine (the history row is `case_status_history`). */
export const caseStatusChangedPayload = z.strictObject({
  caseId,
  classification,
  from: status,
  to: status,
});

/** A contact (F1/F2) or suspected case became an F0 in one transition that keeps its history. */
export const caseReclassifiedPayload = z.strictObject({
  caseId,
  from: classification,
  to: classification,
  /** The test that made it positive, when one did. */
  testId: z.string().min(1).max(64).optional(),
});

export const RELEASE_REASONS = ['exit-test', 'cleared'] as const;
/** A contact left monitoring: its time is over and its exit test negative. */
export const caseReleasedPayload = z.strictObject({
  caseId,
  classification,
  reason: z.enum(RELEASE_REASONS),
  /** The rule released it (worker) rather than a person. */
  automatic: z.boolean(),
});

/** A positive result for a known person: an F0 proposal waiting for the duty officer. */
export const caseProposedPayload = z.strictObject({
  caseId,
  testId: z.string().min(1).max(64),
  method: z.enum(['rt-pcr', 'antigen']),
  repositive: z.boolean(),
});

/** A connected component of the tracing graph first reached the cluster size. */
export const clusterDetectedPayload = z.strictObject({
  clusterId: z.uuid(),
  /** The oldest case of the component (its index case as far as the graph knows). */
  indexCaseId: caseId,
  size: z.int().min(2),
  units: z.array(z.string().min(1).max(32)).min(1).max(200),
});

/* Created only by the case engine, behind the cases endpoints and the case rules. */
export const CASE_EVENTS = {
  'case.status-changed': defineEvent(caseStatusChangedPayload, {
    severity: 'info',
    submit: { server: 'POST /api/v1/cases/{id}/status' },
  }),
  'case.reclassified': defineEvent(caseReclassifiedPayload, {
    severity: 'critical',
    submit: { server: 'the cases endpoints (POST /api/v1/cases/{id}/confirm, /status) and the case rules' },
  }),
  'case.released': defineEvent(caseReleasedPayload, {
    severity: 'info',
    submit: { server: 'POST /api/v1/cases/{id}/release (and the worker\'s release check)' },
  }),
  'case.proposed': defineEvent(caseProposedPayload, {
    severity: 'warning',
    submit: { server: 'nothing: the case rules propose F0s from positive tests themselves' },
  }),
  'cluster.detected': defineEvent(clusterDetectedPayload, {
    severity: 'critical',
    submit: { server: 'nothing: the case rules detect clusters themselves' },
  }),
};
