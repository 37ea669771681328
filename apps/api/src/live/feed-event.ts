import type { FeedEvent, StoredEvent } from '@frontline/contracts';

/** ~110 m: the live feed and the map carry coarse locations only. */
export const COARSE = 1000;

/** A latitude or longitude rounded to 3 decimals. */
export function coarse(degrees: number): number {
  return Math.round(degrees * COARSE) / COARSE;
}

/** What a console may see of a stored event: no actor, coarse location. */
export function toFeedEvent(e: StoredEvent): FeedEvent {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    unit: e.unit,
    unitPath: e.unitPath,
    occurredAt: e.occurredAt,
    ...(e.location ? { location: { lat: coarse(e.location.lat), lon: coarse(e.location.lon) } } : {}),
    ...(e.drill ? { drill: true } : {}),
    ...(e.exerciseId ? { exerciseId: e.exerciseId } : {}),
    payload: e.payload,
  };
}
