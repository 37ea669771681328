import { nextState, TaskAction, TaskState } from './task-machine';

const STATES: TaskState[] = ['created', 'assigned', 'acknowledged', 'en-route', 'on-scene', 'done', 'cancelled'];
const ACTIONS: TaskAction[] = ['assign', 'acknowledge', 'en-route', 'on-scene', 'complete', 'cancel'];

describe('task state machine', () => {
  it('follows created -> assigned -> acknowledged -> en-route -> on-scene -> done', () => {
    let state: TaskState = 'created';
    for (const action of ['assign', 'acknowledge', 'en-route', 'on-scene', 'complete'] as TaskAction[]) {
      const next = nextState(state, action);
      expect(next.ok).toBe(true);
      if (next.ok) state = next.to;
    }
    expect(state).toBe('done');
  });

  it('allows exactly these transitions', () => {
    const allowed = STATES.flatMap((s) => ACTIONS.filter((a) => nextState(s, a).ok).map((a) => `${s}:${a}`));
    expect(allowed.sort()).toEqual(
      [
        'created:assign',
        'created:cancel',
        'assigned:assign',
        'assigned:acknowledge',
        'assigned:cancel',
        'acknowledged:en-route',
        'acknowledged:on-scene',
        'acknowledged:complete',
        'acknowledged:cancel',
        'en-route:on-scene',
        'en-route:complete',
        'en-route:cancel',
        'on-scene:complete',
        'on-scene:cancel',
      ].sort(),
    );
  });

  it('explains refusals', () => {
    expect(nextState('created', 'acknowledge')).toEqual({
      ok: false,
      reason: expect.stringMatching(/not assigned to a team yet/),
    });
    expect(nextState('cancelled', 'complete')).toEqual({ ok: false, reason: expect.stringMatching(/cancelled/) });
    expect(nextState('done', 'cancel')).toEqual({ ok: false, reason: expect.stringMatching(/done/) });
    expect(nextState('on-scene', 'en-route')).toEqual({ ok: false, reason: expect.stringMatching(/already on-scene/) });
    expect(nextState('acknowledged', 'acknowledge')).toEqual({ ok: false, reason: expect.stringMatching(/already acknowledged/) });
    expect(nextState('en-route', 'assign')).toEqual({ ok: false, reason: expect.stringMatching(/team can no longer be changed/) });
  });
});
