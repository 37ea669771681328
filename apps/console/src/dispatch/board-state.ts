import type { FeedEvent, OpenReport, TaskView, TeamView } from '@frontline/contracts';

/**
 * The board's three lists as the REST reads gave them, moved forward by live events: one pure
 * step per batch (the screen applies a whole batch at once, never one render per event).
 * Live events carry ids and coarse places only; the next REST read brings exact values back.
 */
export interface Board {
  reports: OpenReport[];
  /** Open tasks (not done, not cancelled). */
  tasks: TaskView[];
  teams: TeamView[];
}

/** Event types that change the board. */
export const BOARD_EVENT_TYPES: ReadonlySet<string> = new Set([
  'report.received',
  'report.triaged',
  'report.closed',
  'report.merged',
  'task.created',
  'task.assigned',
  'task.acknowledged',
  'task.progressed',
  'task.completed',
  'task.cancelled',
  'task.escalated',
  'team.status-changed',
]);

type Payload = Record<string, unknown>;
const str = (p: Payload, key: string): string | undefined =>
  typeof p[key] === 'string' ? (p[key] as string) : undefined;

function patchTask(
  tasks: TaskView[],
  id: string | undefined,
  patch: (t: TaskView) => TaskView | null,
): TaskView[] {
  if (!id) return tasks;
  const i = tasks.findIndex((t) => t.id === id);
  if (i < 0) return tasks;
  const next = patch(tasks[i]);
  const copy = tasks.slice();
  if (next) copy[i] = next;
  else copy.splice(i, 1);
  return copy;
}

function patchReport(
  reports: OpenReport[],
  id: string | undefined,
  patch: (r: OpenReport) => OpenReport | null,
): OpenReport[] {
  if (!id) return reports;
  const i = reports.findIndex((r) => r.reportId === id);
  if (i < 0) return reports;
  const next = patch(reports[i]);
  const copy = reports.slice();
  if (next) copy[i] = next;
  else copy.splice(i, 1);
  return copy;
}

/** `unit`: the board's unit; events outside its subtree are ignored. */
export function applyEvents(board: Board, events: readonly FeedEvent[], unit: string): Board {
  let { reports, tasks, teams } = board;
  for (const e of events) {
    if (!BOARD_EVENT_TYPES.has(e.type) || !e.unitPath.includes(unit)) continue;
    const p = (e.payload ?? {}) as Payload;
    const at = e.occurredAt;
    switch (e.type) {
      case 'report.received':
        if (!reports.some((r) => r.reportId === e.id)) {
          reports = [
            {
              reportId: e.id,
              unit: e.unit,
              category: (str(p, 'category') ?? 'other') as OpenReport['category'],
              channel: str(p, 'channel') ?? '',
              description: str(p, 'description') ?? '',
              occurredAt: at,
              place: e.location ?? null,
              priority: null,
              drill: e.drill === true,
              taskIds: [],
              likelyDuplicates: 0,
            },
            ...reports,
          ];
        }
        break;
      case 'report.triaged':
        reports = patchReport(reports, str(p, 'reportId'), (r) => ({
          ...r,
          priority: p.priority as OpenReport['priority'],
        }));
        break;
      case 'report.closed':
      case 'report.merged':
        reports = patchReport(reports, str(p, 'reportId'), () => null);
        break;
      case 'task.created': {
        const id = str(p, 'taskId');
        if (!id || tasks.some((t) => t.id === id)) break;
        const reportId = str(p, 'reportId') ?? null;
        tasks = [
          {
            id,
            unit: e.unit,
            type: p.taskType as TaskView['type'],
            priority: p.priority as TaskView['priority'],
            state: 'created',
            place: e.location ?? { lat: 0, lon: 0 },
            teamId: null,
            reportId,
            lockdownId: str(p, 'lockdownId') ?? null,
            caseId: str(p, 'caseId') ?? null,
            note: null,
            cancelReason: null,
            acknowledgeBy: str(p, 'acknowledgeBy') ?? at,
            finishBy: str(p, 'finishBy') ?? at,
            createdAt: at,
            updatedAt: at,
            escalations: [],
          },
          ...tasks,
        ];
        if (reportId)
          reports = patchReport(reports, reportId, (r) =>
            r.taskIds.includes(id) ? r : { ...r, taskIds: [...r.taskIds, id] },
          );
        break;
      }
      case 'task.assigned':
        tasks = patchTask(tasks, str(p, 'taskId'), (t) => ({
          ...t,
          teamId: str(p, 'teamId') ?? t.teamId,
          state: 'assigned',
          updatedAt: at,
        }));
        break;
      case 'task.acknowledged':
        tasks = patchTask(tasks, str(p, 'taskId'), (t) => ({
          ...t,
          state: 'acknowledged',
          updatedAt: at,
        }));
        break;
      case 'task.progressed':
        tasks = patchTask(tasks, str(p, 'taskId'), (t) => ({
          ...t,
          state: p.state as TaskView['state'],
          updatedAt: at,
        }));
        break;
      case 'task.completed':
      case 'task.cancelled':
        tasks = patchTask(tasks, str(p, 'taskId'), () => null);
        break;
      case 'task.escalated':
        tasks = patchTask(tasks, str(p, 'taskId'), (t) => {
          const level = Number(p.level);
          const deadline = p.deadline as TaskView['escalations'][number]['deadline'];
          if (t.escalations.some((x) => x.level === level && x.deadline === deadline)) return t;
          return {
            ...t,
            escalations: [
              ...t.escalations,
              { deadline, level, targetUnit: str(p, 'targetUnit') ?? t.unit, at },
            ],
          };
        });
        break;
      case 'team.status-changed': {
        const id = str(p, 'teamId');
        const status = p.status as TeamView['status'];
        teams = teams.map((t) => (t.id === id ? { ...t, status } : t));
        break;
      }
    }
  }
  return reports === board.reports && tasks === board.tasks && teams === board.teams
    ? board
    : { reports, tasks, teams };
}

/** Columns of the board, in the order of the task's life. */
export const OPEN_STATES = ['created', 'assigned', 'acknowledged', 'en-route', 'on-scene'] as const;

/** The deadline that matters now: to acknowledge until acknowledged, then to finish. */
export function currentDeadline(task: TaskView): { kind: 'acknowledge' | 'finish'; due: number } {
  return task.state === 'created' || task.state === 'assigned'
    ? { kind: 'acknowledge', due: Date.parse(task.acknowledgeBy) }
    : { kind: 'finish', due: Date.parse(task.finishBy) };
}

/** A countdown as H:MM:SS or M:SS. */
export function formatCountdown(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
