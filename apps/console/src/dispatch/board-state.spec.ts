import { describe, expect, it } from '@jest/globals';
import type { FeedEvent, TaskView, TeamView } from '@frontline/contracts';
import { applyEvents, currentDeadline, formatCountdown } from './board-state';
import type { Board } from './board-state';

const UNIT = '194';
let seq = 0;
function event(
  type: string,
  payload: Record<string, unknown>,
  extra: Partial<FeedEvent> = {},
): FeedEvent {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    seq,
    type,
    unit: UNIT,
    unitPath: ['22', UNIT],
    occurredAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    payload,
    ...extra,
  } as FeedEvent;
}

const team: TeamView = {
  id: 'team-1',
  unit: UNIT,
  name: 'Tổ 1',
  kind: 'tracing',
  status: 'available',
  base: null,
  memberUserIds: [],
  memberStaffIds: [],
};
const empty: Board = { reports: [], tasks: [], teams: [team] };

describe('dispatch board state', () => {
  it('follows a report into a task, through assignment, escalation and acknowledgement, in one batch', () => {
    const report = event(
      'report.received',
      { channel: 'hotline', category: 'gathering', description: 'Tụ tập' },
      { location: { lat: 21.5, lon: 107.9 } },
    );
    const created = event(
      'task.created',
      {
        taskId: 'task-1',
        taskType: 'tracing',
        priority: 'high',
        reportId: report.id,
        acknowledgeBy: '2030-01-01T00:00:00.000Z',
        finishBy: '2030-01-01T04:00:00.000Z',
      },
      { location: { lat: 21.5, lon: 107.9 } },
    );
    const escalated = event('task.escalated', {
      taskId: 'task-1',
      deadline: 'acknowledge',
      level: 1,
      targetUnit: UNIT,
    });
    const board = applyEvents(
      empty,
      [
        report,
        event('report.triaged', { reportId: report.id, priority: 'high' }),
        created,
        event('task.assigned', { taskId: 'task-1', teamId: 'team-1' }),
        event('team.status-changed', {
          teamId: 'team-1',
          status: 'on-task',
          previous: 'available',
        }),
        escalated,
        escalated, // a duplicate delivery changes nothing
      ],
      UNIT,
    );
    expect(board.reports).toHaveLength(1);
    expect(board.reports[0]).toMatchObject({
      reportId: report.id,
      priority: 'high',
      taskIds: ['task-1'],
      place: { lat: 21.5, lon: 107.9 },
    });
    expect(board.tasks).toHaveLength(1);
    expect(board.tasks[0]).toMatchObject({
      id: 'task-1',
      state: 'assigned',
      teamId: 'team-1',
      priority: 'high',
    });
    expect(board.tasks[0].escalations).toEqual([
      { deadline: 'acknowledge', level: 1, targetUnit: UNIT, at: escalated.occurredAt },
    ]);
    expect(board.teams[0].status).toBe('on-task');

    const acked = applyEvents(
      board,
      [event('task.acknowledged', { taskId: 'task-1', teamId: 'team-1' })],
      UNIT,
    );
    expect(acked.tasks[0].state).toBe('acknowledged');
    const closed = applyEvents(
      acked,
      [
        event('task.completed', { taskId: 'task-1' }),
        event('report.closed', { reportId: report.id, reason: 'xong' }),
      ],
      UNIT,
    );
    expect(closed.tasks).toEqual([]);
    expect(closed.reports).toEqual([]);
  });

  it('ignores events of other units and types, returning the same board', () => {
    const other = event(
      'task.created',
      { taskId: 'x', taskType: 'tracing', priority: 'low' },
      { unit: '193', unitPath: ['22', '193'] },
    );
    expect(applyEvents(empty, [other, event('case.confirmed', { caseId: 'F0-1' })], UNIT)).toBe(
      empty,
    );
  });

  it('counts down to the deadline that matters in the current state', () => {
    const task = {
      state: 'assigned',
      acknowledgeBy: '2030-01-01T00:00:00.000Z',
      finishBy: '2030-01-01T04:00:00.000Z',
    } as TaskView;
    expect(currentDeadline(task)).toEqual({
      kind: 'acknowledge',
      due: Date.parse(task.acknowledgeBy),
    });
    expect(currentDeadline({ ...task, state: 'en-route' })).toEqual({
      kind: 'finish',
      due: Date.parse(task.finishBy),
    });
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(-3_725_000)).toBe('1:02:05');
  });
});
