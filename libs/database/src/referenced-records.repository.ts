import type { Queryable } from './queryable';

/** The records a command may name by id, and the table each lives in (every one has a `unit_path`). */
const RECORD_TABLES = {
  case: 'cases',
  person: 'people',
  pool: 'lab_pools',
  team: 'teams',
  task: 'tasks',
  lockdown: 'lockdowns',
} as const;

export type RecordKind = keyof typeof RECORD_TABLES;

/** The ids a command names, by kind; anything that is not a uuid is simply not found. */
export type RecordIds = Partial<Record<RecordKind, Iterable<string | null | undefined>>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a jurisdiction holds of the ids asked about. */
export class RecordsInJurisdiction {
  constructor(
    private readonly found: ReadonlyMap<RecordKind, ReadonlyMap<string, string | null>>,
  ) {}

  /** Whether the record exists inside the jurisdiction (unknown and outside answer alike: false). */
  has(kind: RecordKind, id: string | null | undefined): boolean {
    return !!id && (this.found.get(kind)?.has(id.toLowerCase()) ?? false);
  }

  /** The person a case (inside the jurisdiction) is of. */
  personOfCase(caseId: string): string | undefined {
    return this.found.get('case')?.get(caseId.toLowerCase()) ?? undefined;
  }
}

/**
 * The jurisdiction check of referenced ids (docs/decisions/0034-referenced-records-in-jurisdiction.md):
 * which of the named cases, people, pools, teams, tasks and lockdowns lie in the subtree of
 * `root` (a unit code). Every path that changes a record another one names asks it, api and
 * worker alike, so a district can neither change nor probe another district's records: a
 * record outside is answered exactly as an unknown one. One statement for all the ids of a
 * command or of a batch.
 */
export class ReferencedRecordsRepository {
  async within(db: Queryable, root: string, ids: RecordIds): Promise<RecordsInJurisdiction> {
    const parts: string[] = [];
    const params: unknown[] = [root];
    for (const [kind, table] of Object.entries(RECORD_TABLES) as [RecordKind, string][]) {
      const wanted = [...new Set([...(ids[kind] ?? [])].flatMap((v) => (v && UUID.test(v) ? [v.toLowerCase()] : [])))];
      if (!wanted.length) continue;
      params.push(wanted);
      const person = kind === 'case' ? 'person_id::text' : 'NULL::text';
      parts.push(
        `SELECT '${kind}' AS kind, id::text AS id, ${person} AS person FROM ${table}
         WHERE id = ANY($${params.length}::uuid[]) AND unit_path @> ARRAY[$1]::text[]`,
      );
    }
    const found = new Map<RecordKind, Map<string, string | null>>();
    if (!parts.length) return new RecordsInJurisdiction(found);
    const rows = (await db.query(parts.join(' UNION ALL '), params)) as { kind: RecordKind; id: string; person: string | null }[];
    for (const row of rows) {
      const ofKind = found.get(row.kind) ?? new Map<string, string | null>();
      ofKind.set(row.id, row.person);
      found.set(row.kind, ofKind);
    }
    return new RecordsInJurisdiction(found);
  }
}
