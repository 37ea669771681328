import { createHash } from 'node:crypto';

/** Namespace of lab testing ids (a fixed random UUID; changing it breaks deduplication). */
const NAMESPACE = Buffer.from('9d4e2c61b7a84f0e8c35a1f6e2b04d97', 'hex');

/**
 * A UUID derived from its parts the way RFC 4122 version-5 UUIDs are (SHA-1 of namespace +
 * name): the same (upload, row) or (result, person) always gives the same id, so a repeated
 * write is a conflict on the primary key instead of a second row.
 */
export function derivedId(...parts: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u001f')).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
