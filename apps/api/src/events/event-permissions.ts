import type { EventType, Role } from '@frontline/contracts';

/** Which event types each role may submit (always within its own jurisdiction). */
const SUBMIT: Record<Role, readonly EventType[] | 'all'> = {
  admin: 'all',
  commander: 'all',
  'duty-officer': 'all',
  lab: ['test.resulted'],
  'field-team': ['report.received', 'contact.identified'],
};

export function maySubmit(role: Role, type: EventType): boolean {
  const allowed = SUBMIT[role];
  return allowed === 'all' || allowed.includes(type);
}
