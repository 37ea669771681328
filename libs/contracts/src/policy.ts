import type { Role } from './roles';

/**
 * How far a role reaches in the jurisdiction tree when it performs an action:
 * - `subtree`: the caller's home unit and every unit below it;
 * - `own-team`: only the records of the teams the caller is a member of;
 * - `own`: only what is the caller's own (their duty, what they created).
 * A role absent from an action's entry may not perform it at all.
 */
export type Reach = 'subtree' | 'own-team' | 'own';

export interface Permission {
  /** What the action lets one do, as the 403 says it: `role lab may not <does>`. */
  does: string;
  reach: Partial<Record<Role, Reach>>;
}

/** Everyone with an account, over their subtree. */
const EVERY_ROLE = {
  commander: 'subtree',
  'duty-officer': 'subtree',
  admin: 'subtree',
  lab: 'subtree',
  'field-team': 'subtree',
} as const satisfies Record<Role, Reach>;
/** The roles that run a command center's console. */
const CONSOLE_ROLES = { commander: 'subtree', 'duty-officer': 'subtree', admin: 'subtree' } as const;
/** The roles that decide for a jurisdiction (rosters, lockdowns, zone levels). */
const DECIDERS = { commander: 'subtree', admin: 'subtree' } as const;

/**
 * Who may do what: the one table the HTTP roles guard and the live gateway read
 * (docs/decisions/0031-http-edge.md). Services ask it (`reachOf`) where the answer depends on
 * the record (a field member and their team's task), never a role list of their own.
 */
export const POLICY = {
  'units.read': { does: 'read units, figures and the map', reach: EVERY_ROLE },
  'live.subscribe': { does: 'follow the live feed', reach: EVERY_ROLE },
  'events.submit': { does: 'submit events', reach: EVERY_ROLE },
  'events.read': { does: 'read events', reach: EVERY_ROLE },
  'personal-data.read': { does: 'read personal data', reach: CONSOLE_ROLES },
  'personal-data.export': { does: 'export personal data', reach: CONSOLE_ROLES },
  'audit.search': { does: 'search the audit log', reach: { admin: 'subtree' } },
  'reports.acknowledge': { does: 'acknowledge reports', reach: CONSOLE_ROLES },
  'cases.read': { does: 'read cases', reach: EVERY_ROLE },
  'cases.edit': { does: 'register or change people and cases', reach: CONSOLE_ROLES },
  'cases.record-test': { does: 'record test results', reach: { ...CONSOLE_ROLES, lab: 'subtree' } },
  'lab.work': { does: 'record or read lab results', reach: { ...CONSOLE_ROLES, lab: 'subtree' } },
  'screening.read': { does: 'read screening programs', reach: EVERY_ROLE },
  'screening.manage': { does: 'set up screening programs', reach: CONSOLE_ROLES },
  'dispatch.read': { does: 'read tasks, reports and teams', reach: EVERY_ROLE },
  'dispatch.manage': { does: 'dispatch (create, assign or cancel tasks, triage reports, manage teams)', reach: CONSOLE_ROLES },
  'tasks.read': { does: 'read tasks', reach: { ...CONSOLE_ROLES, lab: 'subtree', 'field-team': 'own-team' } },
  'tasks.step': { does: 'act on tasks', reach: { ...CONSOLE_ROLES, 'field-team': 'own-team' } },
  'zones.read': { does: 'read zone levels and lockdowns', reach: EVERY_ROLE },
  'zones.decide': { does: 'set zone levels or declare, amend and lift lockdowns', reach: DECIDERS },
  'roster.read': { does: 'read rosters', reach: EVERY_ROLE },
  'roster.personal-phones': { does: 'read the personal phones of people on duty', reach: DECIDERS },
  'roster.duty': { does: 'check in and hand over shifts', reach: EVERY_ROLE },
  'roster.edit': { does: 'change rosters', reach: DECIDERS },
  'roster.propose-swap': { does: 'propose shift swaps', reach: { ...DECIDERS, 'duty-officer': 'subtree' } },
  'roster.decide-swap': { does: 'approve or reject shift swaps (the commander decides)', reach: { commander: 'subtree' } },
  'calendar.feeds': {
    does: 'manage calendar feeds',
    reach: { ...DECIDERS, 'duty-officer': 'own', lab: 'own', 'field-team': 'own' },
  },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof POLICY;

/** How far `role` reaches for `action`, or null when it may not perform it. */
export function reachOf(role: Role, action: Action): Reach | null {
  const reach: Partial<Record<Role, Reach>> = POLICY[action].reach;
  return reach[role] ?? null;
}

export function allows(role: Role, action: Action): boolean {
  return reachOf(role, action) !== null;
}

