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
 * Appends a validated batch to the event log in ONE statement: all rows or none. Each new event
 * also gets a row in `event_outbox` until it is in the stream (StreamPublisher, OutboxRelay).
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
   * elsewhere only by the outbox relay. Without it the append is its own transaction (a single
   * statement: no BEGIN and COMMIT round trips).
   */
  async append(items: AppendItem[], actor: string, manager?: EntityManager): Promise<AppendResult> {
    return this.appendIn(manager ?? this.dataSource.manager, items, actor);
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
    const personal = items
      .map((item, idx) => ({ id: ids[idx], path: item.unitPath, fields: split[idx].personal }))
      .filter((r) => r.fields);
    // One statement, one round trip: the events, their outbox entries (the relay's to-do list until
    // the stream has them) and their personal fields, only for the ids not already in the log.
    const inserted: InsertedRow[] = await em.query(
      `WITH inserted AS (
         INSERT INTO event_log (id, type, unit_code, unit_path, occurred_at, actor, location, drill, exercise_id, payload)
           SELECT t.id, t.type, t.unit, string_to_array(t.path, '/'), t.occurred_at, $11,
                  CASE WHEN t.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) END,
                  t.drill, t.exercise_id, t.payload
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                       $6::float8[], $7::float8[], $8::bool[], $9::text[], $10::jsonb[])
                WITH ORDINALITY AS t(id, type, unit, path, occurred_at, lon, lat, drill, exercise_id, payload, ord)
           ORDER BY t.ord
           ON CONFLICT (id) DO NOTHING
           RETURNING id, seq, recorded_at
       ), outbox AS (
         INSERT INTO event_outbox (seq) SELECT seq FROM inserted
       ), personal AS (
         INSERT INTO event_personal_data (event_id, unit_path, fields)
           SELECT p.id, string_to_array(p.path, '/'), p.fields
           FROM unnest($12::uuid[], $13::text[], $14::jsonb[]) AS p(id, path, fields)
           JOIN inserted USING (id)
       )
       SELECT id, seq, recorded_at FROM inserted`,
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
        personal.map((r) => r.id),
        personal.map((r) => r.path.join('/')),
        personal.map((r) => JSON.stringify(r.fields)),
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
