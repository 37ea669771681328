/**
 * Whether an event belongs to `unit`'s subtree. Kept apart from feed-state.ts, which imports
 * the contracts' runtime values (zod included): the point worker needs this and nothing else.
 */
export function inUnit(
  event: { unit: string; unitPath?: readonly string[] },
  unit: string,
): boolean {
  return event.unit === unit || (Array.isArray(event.unitPath) && event.unitPath.includes(unit));
}
