import { createHash } from 'node:crypto';

/** Namespace of acknowledgement ids (a fixed random UUID; changing it breaks deduplication). */
const NAMESPACE = Buffer.from('5c1b7f0e8a3d4e62b9f4d27a0c6e1f38', 'hex');

/**
 * The id of THE acknowledgement of a report, derived from the report id the way RFC 4122
 * version-5 UUIDs are (SHA-1 of namespace + name). Every api instance computes the same id, so
 * two consoles acknowledging at once insert the same event_log id and the second is a no-op.
 */
export function acknowledgementId(reportId: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(reportId.toLowerCase()).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
