import type { FeedEvent, StoredEvent } from '@frontline/contracts';

/** ~110 m: the live feed carries coarse locations only. */
const COARSE = 1000;

/** What a console may see of a stored event: no actor, coarse location. */
export function toFeedEvent(e: StoredEvent): FeedEvent {
  return {
    id: e.id,
    seq: e.seq,
    type: e.type,
    unit: e.unit,
    unitPath: e.unitPath,
    occurredAt: e.occurredAt,
    ...(e.location
      ? { location: { lat: Math.round(e.location.lat * COARSE) / COARSE, lon: Math.round(e.location.lon * COARSE) / COARSE } }
      : {}),
    ...(e.drill ? { drill: true } : {}),
    ...(e.exerciseId ? { exerciseId: e.exerciseId } : {}),
    payload: e.payload,
  };
}
