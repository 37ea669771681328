import type { EventType, StoredEvent } from '@frontline/contracts';

/** Columns to select from event_log to rebuild a StoredEvent (see rowToStoredEvent). */
export const STORED_EVENT_COLUMNS = `id, seq, type, unit_code, unit_path, occurred_at, recorded_at, actor,
  ST_Y(location) AS lat, ST_X(location) AS lon, drill, exercise_id, payload`;

export interface StoredEventRow {
  id: string;
  seq: string;
  type: EventType;
  unit_code: string;
  unit_path: string[];
  occurred_at: Date;
  recorded_at: Date;
  actor: string;
  lat: number | null;
  lon: number | null;
  drill: boolean;
  exercise_id: string | null;
  payload: Record<string, unknown>;
}

export function rowToStoredEvent(r: StoredEventRow): StoredEvent {
  return {
    id: r.id,
    seq: Number(r.seq),
    type: r.type,
    unit: r.unit_code,
    unitPath: r.unit_path,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    actor: r.actor,
    ...(r.lat !== null && r.lon !== null ? { location: { lat: r.lat, lon: r.lon } } : {}),
    ...(r.drill ? { drill: true } : {}),
    ...(r.exercise_id ? { exerciseId: r.exercise_id } : {}),
    payload: r.payload,
  };
}
