import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { EventInput, PERSONAL_FIELDS, StoredEvent } from '@frontline/contracts';

export interface AppendItem {
  input: EventInput;
  unitPath: string[];
}

export interface AppendResult {
  /** One answer per input, in input order; a re-sent id answers with the original seq. */
  accepted: { id: string; seq: number }[];
  /** Events written by this call (not the re-sent ones), ready to publish. */
  created: StoredEvent[];
}

interface InsertedRow {
  id: string;
  seq: string;
  recorded_at: Date;
}

/** Splits personal fields out of a payload: they are stored apart and never pushed. */
export function splitPersonal(input: EventInput): {
  payload: Record<string, unknown>;
  personal: Record<string, unknown> | null;
} {
  const fields = (PERSONAL_FIELDS[input.type] ?? []) as string[];
  const payload: Record<string, unknown> = { ...(input.payload as Record<string, unknown>) };
  let personal: Record<string, unknown> | null = null;
  for (const field of fields) {
    if (payload[field] !== undefined) {
      personal ??= {};
      personal[field] = payload[field];
      delete payload[field];
    }
  }
  return { payload, personal };
}

/**
 * Appends a validated batch to the event log in ONE transaction: all rows or none.
 * `event_log` doubles as the outbox (published_at is NULL until the event is in the stream).
 */
export class EventStore {
  /** Events appended in each open unit of work, by its transaction (see UnitOfWork). */
  private readonly journals = new WeakMap<EntityManager, StoredEvent[]>();

  constructor(private readonly dataSource: DataSource) {}

  /** Starts collecting what is appended in `em`'s transaction; the unit of work publishes it after the commit. */
  openJournal(em: EntityManager): StoredEvent[] {
    const journal: StoredEvent[] = [];
    this.journals.set(em, journal);
    return journal;
  }

  /** The events appended so far in `em`'s unit of work (undefined outside one). */
  journalOf(em: EntityManager): StoredEvent[] | undefined {
    return this.journals.get(em);
  }

  /**
   * With `manager` the rows join the caller's transaction (domain rows and their events commit
   * together, architecture.md); inside `UnitOfWork.run` they are published after that commit,
   * elsewhere only by the outbox relay. Without it the append is its own transaction.
   */
  async append(items: AppendItem[], actor: string, manager?: EntityManager): Promise<AppendResult> {
    if (manager) return this.appendIn(manager, items, actor);
    return this.dataSource.transaction((em) => this.appendIn(em, items, actor));
  }

  /**
   * Dates events written early in a long transaction to its end, just before it commits. The
   * outbox relay republishes what is unpublished and older than its grace; without this it
   * would take rows whose transaction has only just committed (they look as old as the
   * transaction) before the caller publishes them, and consoles would get them out of order.
   */
  async restamp(em: EntityManager, events: StoredEvent[]): Promise<void> {
    if (!events.length) return;
    const rows: { id: string; recorded_at: Date }[] = await em.query(
      `WITH stamped AS (
         UPDATE event_log SET recorded_at = clock_timestamp() WHERE id = ANY($1::uuid[]) RETURNING id, recorded_at
       ) SELECT id, recorded_at FROM stamped`,
      [events.map((e) => e.id)],
    );
    const at = new Map(rows.map((r) => [r.id, r.recorded_at.toISOString()]));
    for (const event of events) event.recordedAt = at.get(event.id) ?? event.recordedAt;
  }

  private async appendIn(
    em: EntityManager,
    items: AppendItem[],
    actor: string,
  ): Promise<AppendResult> {
    const ids = items.map((i) => i.input.id ?? randomUUID());
    const split = items.map((i) => splitPersonal(i.input));
    const inserted: InsertedRow[] = await em.query(
      `INSERT INTO event_log (id, type, unit_code, unit_path, occurred_at, actor, location, drill, exercise_id, payload)
         SELECT t.id, t.type, t.unit, string_to_array(t.path, '/'), t.occurred_at, $11,
                CASE WHEN t.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) END,
                t.drill, t.exercise_id, t.payload
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                     $6::float8[], $7::float8[], $8::bool[], $9::text[], $10::jsonb[])
              WITH ORDINALITY AS t(id, type, unit, path, occurred_at, lon, lat, drill, exercise_id, payload, ord)
         ORDER BY t.ord
         ON CONFLICT (id) DO NOTHING
         RETURNING id, seq, recorded_at`,
      [
        ids,
        items.map((i) => i.input.type),
        items.map((i) => i.input.unit),
        items.map((i) => i.unitPath.join('/')),
        items.map((i) => i.input.occurredAt),
        items.map((i) => i.input.location?.lon ?? null),
        items.map((i) => i.input.location?.lat ?? null),
        items.map((i) => i.input.drill ?? false),
        items.map((i) => i.input.exerciseId ?? null),
        split.map((s) => JSON.stringify(s.payload)),
        actor,
      ],
    );

    const seqById = new Map<string, number>(inserted.map((r) => [r.id, Number(r.seq)]));
    const insertedById = new Map(inserted.map((r) => [r.id, r]));

    // Re-sent ids: answer with the seq they were first accepted with.
    const missing = ids.filter((id) => !seqById.has(id));
    if (missing.length) {
      const existing: { id: string; seq: string }[] = await em.query(
        'SELECT id, seq FROM event_log WHERE id = ANY($1::uuid[])',
        [missing],
      );
      for (const row of existing) seqById.set(row.id, Number(row.seq));
    }

    const personalRows = items
      .map((item, idx) => ({ id: ids[idx], path: item.unitPath, personal: split[idx].personal }))
      .filter((r) => r.personal && insertedById.has(r.id));
    if (personalRows.length) {
      await em.query(
        `INSERT INTO event_personal_data (event_id, unit_path, fields)
           SELECT t.id, string_to_array(t.path, '/'), t.fields
           FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS t(id, path, fields)`,
        [
          personalRows.map((r) => r.id),
          personalRows.map((r) => r.path.join('/')),
          personalRows.map((r) => JSON.stringify(r.personal)),
        ],
      );
    }

    const created: StoredEvent[] = [];
    const seen = new Set<string>();
    items.forEach((item, idx) => {
      const row = insertedById.get(ids[idx]);
      if (!row || seen.has(row.id)) return;
      seen.add(row.id);
      created.push({
        id: row.id,
        seq: Number(row.seq),
        type: item.input.type,
        unit: item.input.unit,
        unitPath: item.unitPath,
        occurredAt: new Date(item.input.occurredAt).toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        actor,
        ...(item.input.location ? { location: item.input.location } : {}),
        ...(item.input.drill ? { drill: true } : {}),
        ...(item.input.exerciseId ? { exerciseId: item.input.exerciseId } : {}),
        payload: split[idx].payload,
      });
    });
    created.sort((a, b) => a.seq - b.seq);
    this.journals.get(em)?.push(...created);

    return { accepted: ids.map((id) => ({ id, seq: seqById.get(id)! })), created };
  }
}
