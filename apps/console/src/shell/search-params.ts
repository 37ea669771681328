/**
 * The console's addresses keep their plain form (`?unit=194&layers=f0,reports&drill=1`), not
 * the router's JSON-encoded default: links already shared keep working, and each route parses
 * its own parameters into typed values (views/url-state.ts, cases/case-routes.ts...).
 */
export function parseSearch(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search.startsWith('?') ? search.slice(1) : search));
}

/** Absent, null and false leave the parameter out; true is `1`; a list is comma-separated. */
export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === false) continue;
    if (value === true) params.set(key, '1');
    else if (Array.isArray(value)) params.set(key, value.join(','));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
