import { TASK_PROGRESS, TASK_TRANSITIONS } from '@frontline/contracts';
import type { TaskAction, TaskState } from '@frontline/contracts';

export type { TaskAction, TaskState };

const CLOSED: readonly TaskState[] = ['done', 'cancelled'];

export function isClosed(state: TaskState): boolean {
  return CLOSED.includes(state);
}

/**
 * The state an action leads to, or why it is refused (the 409 message): a task that is not
 * assigned cannot be acknowledged, a cancelled one cannot be completed, and so on.
 */
export function nextState(state: TaskState, action: TaskAction): { ok: true; to: TaskState } | { ok: false; reason: string } {
  const rule = TASK_TRANSITIONS[action];
  if (rule.from.includes(state)) return { ok: true, to: rule.to };
  if (state === 'cancelled') return { ok: false, reason: `the task is cancelled: it cannot be ${verb(action)} any more` };
  if (state === 'done') return { ok: false, reason: `the task is done: it cannot be ${verb(action)} any more` };
  if (state === 'created' && action !== 'assign') {
    return { ok: false, reason: `the task is not assigned to a team yet: assign it before it can be ${verb(action)}` };
  }
  if (state === 'assigned') {
    return { ok: false, reason: `the team has not acknowledged the task yet: it cannot be ${verb(action)} before` };
  }
  if (action === 'assign') {
    return { ok: false, reason: `the task is already ${state}: its team can no longer be changed (cancel it and create another)` };
  }
  if (TASK_PROGRESS.indexOf(state) >= TASK_PROGRESS.indexOf(rule.to)) {
    return { ok: false, reason: `the task is already ${state}: it cannot be ${verb(action)} again` };
  }
  return { ok: false, reason: `a ${state} task cannot be ${verb(action)}` };
}

function verb(action: TaskAction): string {
  switch (action) {
    case 'assign':
      return 'assigned';
    case 'acknowledge':
      return 'acknowledged';
    case 'en-route':
      return 'set en route';
    case 'on-scene':
      return 'set on scene';
    case 'complete':
      return 'completed';
    case 'cancel':
      return 'cancelled';
  }
}
