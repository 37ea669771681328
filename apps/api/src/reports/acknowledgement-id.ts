import { v5 as uuidv5 } from 'uuid';

/** Namespace of acknowledgement ids (a fixed random UUID; changing it breaks deduplication). */
const NAMESPACE = '5c1b7f0e-8a3d-4e62-b9f4-d27a0c6e1f38';

/**
 * The id of THE acknowledgement of a report: the version-5 UUID of the report id. Every api
 * instance computes the same id, so two consoles acknowledging at once insert the same
 * event_log id and the second is a no-op.
 */
export function acknowledgementId(reportId: string): string {
  return uuidv5(reportId.toLowerCase(), NAMESPACE);
}
