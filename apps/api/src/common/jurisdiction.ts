import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { Queryable, RecordKind, ReferencedRecordsRepository } from '@frontline/database';
import { UnitDirectory, UnitNode } from '@frontline/spine';
import type { Principal } from '../auth/token.service';

/** The unit a request asks about: 404 when unknown, 403 when outside the caller's jurisdiction. */
export async function unitInJurisdiction(units: UnitDirectory, code: string, caller: Principal): Promise<UnitNode> {
  const unit = await units.resolve(code);
  if (!unit) throw new NotFoundException(`unknown unit "${code}"`);
  if (!UnitDirectory.within(caller.unitCode, unit.path)) {
    throw new ForbiddenException(`unit "${code}" is outside your jurisdiction`);
  }
  return unit;
}

/**
 * The 404 of a record a request names (`path`: the field naming it) that does not exist or lies
 * outside the caller's jurisdiction: both answer alike, so a district cannot probe another's ids.
 */
export function referenceNotFound(path: string, message: string): NotFoundException {
  return new NotFoundException({ message: `${path}: ${message}`, details: [{ path, message }] });
}

/** One record a request names: its kind, its id (absent: nothing to check) and the field naming it. */
export interface Reference {
  kind: RecordKind;
  id: string | null | undefined;
  path: string;
}

const records = new ReferencedRecordsRepository();

/**
 * Every record the request names must be inside the caller's jurisdiction (one statement for
 * all of them); the first that is not is a 404 naming its field (`referenceNotFound`).
 */
export async function referencesInJurisdiction(db: Queryable, caller: Principal, references: Reference[]): Promise<void> {
  const named = references.filter((r) => r.id);
  if (!named.length) return;
  const ids: Partial<Record<RecordKind, string[]>> = {};
  for (const r of named) (ids[r.kind] ??= []).push(r.id!);
  const inside = await records.within(db, caller.unitCode, ids);
  const outside = named.find((r) => !inside.has(r.kind, r.id));
  if (outside) throw referenceNotFound(outside.path, `no such ${outside.kind}`);
}

/**
 * The record a path id names, when the caller reaches it. An unknown record and one outside the
 * caller's jurisdiction get the same 404 (`notFound`, the unknown record's answer), so a district
 * cannot tell another district's ids from ids that do not exist.
 */
export function reachableRecord<T>(
  record: T | null | undefined,
  unitPathOf: (record: T) => readonly string[],
  caller: Principal,
  notFound: string,
): T {
  if (record === null || record === undefined || !UnitDirectory.within(caller.unitCode, unitPathOf(record))) {
    throw new NotFoundException(notFound);
  }
  return record;
}
