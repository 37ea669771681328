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
