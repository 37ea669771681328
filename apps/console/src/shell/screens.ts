import { isCasesPath } from '../cases/case-routes';
import { isDispatchPath } from '../dispatch/dispatch-screen';
import { isLabPath } from '../lab/lab-upload-screen';
import { isRosterPath } from '../roster/roster-screen';
import { isScreeningPath } from '../screening/screening-screen';
import { FIELD_PATH } from '../field/field-screen';
import { WALL_PATH } from '../views/url-state';
import type { Session } from '../session/session';

const OTHER_SCREENS = [isRosterPath, isLabPath, isScreeningPath, isDispatchPath, isCasesPath];

/** Whether signing in at `path` (as `role`, once known) opens the map console. */
export function opensMapConsole(path: string, role?: Session['user']['role']): boolean {
  if (role === 'field-team' || path.startsWith(FIELD_PATH)) return false;
  return !OTHER_SCREENS.some((is) => is(path));
}

/** The desk and the wall list the urgent reports themselves; the other screens show a banner. */
export function showsUrgentList(path: string): boolean {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' || trimmed === WALL_PATH;
}
