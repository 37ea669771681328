import type { Role } from '@frontline/contracts';

/** Roles that may see personal fields (always within their jurisdiction, always audited). */
const PERSONAL_DATA_READERS: readonly Role[] = ['commander', 'duty-officer', 'admin'];
/** Roles that run a console and answer its alarms. */
const REPORT_ACKNOWLEDGERS: readonly Role[] = ['commander', 'duty-officer', 'admin'];

export function mayReadPersonalData(role: Role): boolean {
  return PERSONAL_DATA_READERS.includes(role);
}

export function mayAcknowledgeReports(role: Role): boolean {
  return REPORT_ACKNOWLEDGERS.includes(role);
}

/** Roles that register people and cases and move them along their status machines. */
const CASE_EDITORS: readonly Role[] = ['commander', 'duty-officer', 'admin'];
/** Roles that may record a test result on a case. */
const CASE_TEST_RECORDERS: readonly Role[] = ['commander', 'duty-officer', 'admin', 'lab'];
/** Who searches the audit log of personal data. */
const AUDIT_READERS: readonly Role[] = ['admin'];

export function mayEditCases(role: Role): boolean {
  return CASE_EDITORS.includes(role);
}

export function mayRecordCaseTests(role: Role): boolean {
  return CASE_TEST_RECORDERS.includes(role);
}

export function mayReadAuditLog(role: Role): boolean {
  return AUDIT_READERS.includes(role);
}
