import { v5 as uuidv5 } from 'uuid';

/** Namespace of lab testing ids (a fixed random UUID; changing it breaks deduplication). */
const NAMESPACE = '9d4e2c61-b7a8-4f0e-8c35-a1f6e2b04d97';

/**
 * The version-5 UUID of its parts: the same (upload, row) or (result, person) always gives the
 * same id, so a repeated write is a conflict on the primary key instead of a second row.
 */
export function derivedId(...parts: string[]): string {
  return uuidv5(parts.join('\u001f'), NAMESPACE);
}
