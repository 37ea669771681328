import { TASK_PROGRESS, TASK_TRANSITIONS } from '@frontline/contracts';
import type { TaskView } from '@frontline/contracts';
import type { FieldAction, OutboxEntry } from './outbox';

export type TaskState = TaskView['state'];

/** The four taps of the field page, in the order of the job. */
export const FIELD_ACTIONS: readonly FieldAction[] = ['acknowledge', 'en-route', 'on-scene', 'complete'];

/** The field page's buttons follow the api's task machine (contracts: TASK_TRANSITIONS). */
const STEPS: Readonly<Record<FieldAction, { from: readonly TaskState[]; to: TaskState }>> = TASK_TRANSITIONS;

export const OPEN_STATES: readonly TaskState[] = ['assigned', 'acknowledged', 'en-route', 'on-scene'];

export function canDo(state: TaskState, action: FieldAction): boolean {
  return STEPS[action].from.includes(state);
}

/** The state the member will see once the queued taps are delivered (refused ones excepted). */
export function expectedState(state: TaskState, queued: readonly OutboxEntry[]): TaskState {
  return queued.reduce((s, e) => (canDo(s, e.action) ? STEPS[e.action].to : s), state);
}

/** Has the task passed (or reached) the point this action leads to? The button shows a tick. */
export function isPassed(state: TaskState, action: FieldAction): boolean {
  return TASK_PROGRESS.indexOf(state) >= TASK_PROGRESS.indexOf(STEPS[action].to);
}

const PRIORITY_RANK: Record<TaskView['priority'], number> = { critical: 0, high: 1, normal: 2, low: 3 };

/**
 * Open tasks in the order of work: the one under way first (on scene, en route, acknowledged),
 * then waiting ones by priority and age.
 */
export function orderOpen(tasks: readonly TaskView[]): TaskView[] {
  const progress = (s: TaskState) => (s === 'assigned' ? 1 : 0);
  return tasks
    .filter((t) => OPEN_STATES.includes(t.state))
    .sort(
      (a, b) =>
        progress(a.state) - progress(b.state) ||
        PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
        a.createdAt.localeCompare(b.createdAt),
    );
}
