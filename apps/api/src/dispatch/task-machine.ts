import type { TASK_STATES } from '@frontline/contracts';

export type TaskState = (typeof TASK_STATES)[number];
export type TaskAction = 'assign' | 'acknowledge' | 'en-route' | 'on-scene' | 'complete' | 'cancel';

const CLOSED: readonly TaskState[] = ['done', 'cancelled'];

/** Where each action may start from and where it leads. */
const RULES: Record<TaskAction, { from: readonly TaskState[]; to: TaskState }> = {
  // Re-assigning is allowed until the team has acknowledged.
  assign: { from: ['created', 'assigned'], to: 'assigned' },
  acknowledge: { from: ['assigned'], to: 'acknowledged' },
  'en-route': { from: ['acknowledged'], to: 'en-route' },
  'on-scene': { from: ['acknowledged', 'en-route'], to: 'on-scene' },
  complete: { from: ['acknowledged', 'en-route', 'on-scene'], to: 'done' },
  cancel: { from: ['created', 'assigned', 'acknowledged', 'en-route', 'on-scene'], to: 'cancelled' },
};

const ORDER: readonly TaskState[] = ['created', 'assigned', 'acknowledged', 'en-route', 'on-scene', 'done'];

export function isClosed(state: TaskState): boolean {
  return CLOSED.includes(state);
}

/**
 * The state an action leads to, or why it is refused (the 409 message): a task that is not
 * assigned cannot be acknowledged, a cancelled one cannot be completed, and so on.
 */
export function nextState(state: TaskState, action: TaskAction): { ok: true; to: TaskState } | { ok: false; reason: string } {
  const rule = RULES[action];
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
  if (ORDER.indexOf(state) >= ORDER.indexOf(rule.to)) {
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
