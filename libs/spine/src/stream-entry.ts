import type { StoredEvent } from '@frontline/contracts';

export interface StreamEntry {
  streamId: string;
  event: StoredEvent;
}

type RawEntry = [id: string, fields: string[]];

/** Decodes XRANGE / XREAD / XREADGROUP entries; entries deleted under a pending id arrive as null. */
export function decodeEntries(raw: (RawEntry | null)[] | null | undefined): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const entry of raw ?? []) {
    if (!entry || !entry[1]) continue;
    const [streamId, fields] = entry;
    for (let i = 0; i < fields.length; i += 2) {
      if (fields[i] === 'e') {
        out.push({ streamId, event: JSON.parse(fields[i + 1]) as StoredEvent });
        break;
      }
    }
  }
  return out;
}
