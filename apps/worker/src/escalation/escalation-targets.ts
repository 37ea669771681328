import type { Queryable } from '@frontline/database';
import { nextBoundary, onDutyAt } from '@frontline/roster';
import { loadRoster } from '@frontline/roster-ops';
import type { EscalationRepository } from './escalation.repository';

export interface EscalationTargets {
  unit: string;
  source: 'roster' | 'accounts' | 'none';
  staffIds: string[];
  /** Accounts to alert: those linked to the people on duty, or the fallback accounts. */
  userIds: string[];
}

/** Who each level alerts: roster positions first, accounts with the matching role when there is no roster. */
export const LEVEL_POSITIONS: Record<1 | 2 | 3, { positions: string[]; roles: string[] }> = {
  1: { positions: ['duty-officer'], roles: ['duty-officer'] },
  2: { positions: ['commander'], roles: ['commander'] },
  // The unit above: its duty officer and its commander.
  3: { positions: ['duty-officer', 'commander'], roles: ['duty-officer', 'commander'] },
};

/**
 * The people of `unitCode` holding `positions` at `at`, computed by the roster functions every
 * module uses (libs/roster onDutyAt over libs/roster-ops loadRoster). With nobody on the roster
 * (no command center, or an unstaffed position) the unit's active accounts with `roles` are used.
 */
export async function escalationTargets(
  accounts: EscalationRepository,
  db: Queryable,
  unitCode: string,
  level: 1 | 2 | 3,
  at: number,
): Promise<EscalationTargets & { validUntil: number }> {
  const { positions, roles } = LEVEL_POSITIONS[level];
  const loaded = await loadRoster(db, at, at + TARGETS_TTL_MS + 1, { unitCodes: [unitCode] });
  // The answer holds until the next shift boundary of the unit's centers (or the TTL).
  const boundary = nextBoundary(loaded.data, at, undefined, TARGETS_TTL_MS);
  const validUntil = Math.min(at + TARGETS_TTL_MS, boundary ?? Number.POSITIVE_INFINITY);
  const staffIds = [
    ...new Set(
      onDutyAt(loaded.data, at)
        .filter((e) => positions.includes(e.position))
        .flatMap((e) => e.staffIds)
        .filter((id) => loaded.staff.has(id)),
    ),
  ].sort();
  if (staffIds.length) {
    return { unit: unitCode, source: 'roster', staffIds, userIds: await accounts.accountsOfStaff(db, staffIds), validUntil };
  }
  const fallback = await accounts.activeAccounts(db, unitCode, roles);
  return { unit: unitCode, source: fallback.length ? 'accounts' : 'none', staffIds: [], userIds: fallback, validUntil };
}

/** How long one answer is reused: a roster change shows in escalations within this time. */
export const TARGETS_TTL_MS = 15_000;

/**
 * Reuses the targets of (unit, level) until the next shift boundary or for TARGETS_TTL_MS, so a
 * burst of escalations in one unit reads its roster once instead of once per task.
 */
export class EscalationTargetsCache {
  private readonly entries = new Map<string, EscalationTargets & { validUntil: number; from: number }>();

  constructor(private readonly accounts: EscalationRepository) {}

  async get(db: Queryable, unitCode: string, level: 1 | 2 | 3, at: number): Promise<EscalationTargets> {
    const key = `${unitCode}/${level}`;
    const hit = this.entries.get(key);
    if (hit && at >= hit.from && at < hit.validUntil) return hit;
    const fresh = await escalationTargets(this.accounts, db, unitCode, level, at);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { ...fresh, from: at });
    return fresh;
  }
}
