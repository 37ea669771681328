import type { Session } from '../session/session';

/**
 * The screens' addresses, known to the shell without loading the screens themselves (each is
 * its own chunk, fetched when first opened).
 */
export const FIELD_PATH = '/field';
export const WALL_PATH = '/wall';
/** Screens without the map console, each with its sub-paths (`/cases/<id>`...). */
const OTHER_SCREEN_PATHS = ['/roster', '/lab', '/screening', '/dispatch', '/cases', FIELD_PATH];

const trimmed = (path: string) => path.replace(/\/+$/, '');

/** Whether signing in at `path` (as `role`, once known) opens the map console. */
export function opensMapConsole(path: string, role?: Session['user']['role']): boolean {
  if (role === 'field-team') return false;
  const own = trimmed(path);
  return !OTHER_SCREEN_PATHS.some((screen) => own === screen || own.startsWith(`${screen}/`));
}

/** The desk and the wall list the urgent reports themselves; the other screens show a banner. */
export function showsUrgentList(path: string): boolean {
  const own = trimmed(path);
  return own === '' || own === WALL_PATH;
}
