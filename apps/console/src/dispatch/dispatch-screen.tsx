import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useRouter } from '@tanstack/react-router';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DragEvent } from 'react';
import { TASK_PRIORITIES, TASK_TYPES } from '@frontline/contracts';
import type { OpenReport, TaskView, TeamView } from '@frontline/contracts';
import { ApiError } from '../api/client';
import { useAuth, useUnits, useUnitsGeo } from '../api/queries';
import type { Auth } from '../api/queries';
import { LanguageSwitch } from '../components/language-switch';
import { ConnectionStatus } from '../components/connection-status';
import { useI18n } from '../i18n/i18n';
import { formatDateTime, formatRecent } from '../lib/time';
import type { UnitTree } from '../lib/unit-tree';
import { useLiveFeed } from '../realtime/use-live-feed';
import { useRouteLocation } from '../shell/route-location';
import type { Session } from '../session/session';
import { OPEN_STATES, currentDeadline, formatCountdown } from './board-state';
import { CallForm } from './call-form';
import { dispatchApi, dispatchKeys } from './dispatch-api';
import { ReportResolve } from './report-resolve';
import { ResponseTimes, TimelinePanel } from './timeline-panel';
import type { TimelineKind } from './timeline-panel';
import { useBoard } from './use-board';
import './dispatch.css';

export const DISPATCH_PATH = '/dispatch';
const TASK_DRAG_TYPE = 'application/x-frontline-task';


type Panel =
  { kind: 'none' } | { kind: 'call' } | { kind: 'timeline'; of: TimelineKind; id: string };

/** `/dispatch/timeline/task/<id>` or `/dispatch/timeline/report/<id>` opens that timeline. */
function panelFromPath(pathname: string): Panel {
  const m = /^\/dispatch\/timeline\/(task|report)\/([0-9a-fA-F-]{36})\/?$/.exec(pathname);
  return m
    ? { kind: 'timeline', of: m[1] as TimelineKind, id: m[2].toLowerCase() }
    : { kind: 'none' };
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const errorText = (err: unknown) =>
  err instanceof ApiError
    ? (err.body?.message ?? err.message)
    : err instanceof Error
      ? err.message
      : String(err);

/**
 * The dispatch board (/dispatch): open reports, open tasks by state with their deadlines and
 * escalations, teams with their status, all kept live by the socket feed; a call is entered,
 * a report becomes a task, a task goes to a team by drag and drop, by the keyboard or from the
 * nearest available teams. The accountability panel shows any report's or task's timeline.
 */
export function DispatchScreen({ session }: { session: Session }) {
  const { t } = useI18n();
  const auth = useAuth(session);
  const unit = auth.home;
  const units = useUnits(auth);
  const geo = useUnitsGeo(auth, unit);
  const { live, client } = useLiveFeed(unit);
  const { board, isError, updatedAt } = useBoard(auth, unit, client);
  const now = useNow(1000);
  const queryClient = useQueryClient();

  // A timeline is an address (shareable, back closes it); the call form is not.
  const router = useRouter();
  const { pathname } = useRouteLocation();
  const [callOpen, setCallOpen] = useState(false);
  const panel = useMemo<Panel>(
    () => (callOpen ? { kind: 'call' } : panelFromPath(pathname)),
    [callOpen, pathname],
  );
  const setPanel = useCallback(
    (next: Panel) => {
      setCallOpen(next.kind === 'call');
      const path =
        next.kind === 'timeline'
          ? `${DISPATCH_PATH}/timeline/${next.of}/${next.id}`
          : DISPATCH_PATH;
      if (router.state.location.pathname !== path) void router.navigate({ href: path });
    },
    [router],
  );

  const [selectedTask, setSelectedTask] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const assign = useMutation({
    mutationFn: ({ taskId, teamId }: { taskId: string; teamId: string }) =>
      dispatchApi.assign(auth.token, taskId, teamId, `assign-${crypto.randomUUID()}`),
    onSuccess: (answer) => {
      setSelectedTask(null);
      setNotice(null);
      // At once on this console; the live event confirms it everywhere else.
      queryClient.setQueryData<{ tasks: TaskView[] }>(
        dispatchKeys.tasks(auth.username, unit),
        (old) =>
          old ? { tasks: old.tasks.map((x) => (x.id === answer.task.id ? answer.task : x)) } : old,
      );
    },
    onError: (err) => setNotice(t('dispatch.assignFailed', { message: errorText(err) })),
  });
  const assignTo = (taskId: string, teamId: string) => assign.mutate({ taskId, teamId });

  const teamName = useCallback(
    (id: string) => board?.teams.find((x) => x.id === id)?.name ?? id.slice(0, 8),
    [board],
  );
  const unitName = (code: string) => units.data?.name(code) ?? code;

  return (
    <div className="dispatch-screen" data-testid="dispatch-screen">
      <header className="dispatch-top">
        <h1>{t('dispatch.title')}</h1>
        <span className="dispatch-muted">{unitName(unit)}</span>
        <ConnectionStatus connection={live.connection} lastEventAt={live.lastEventAt} />
        <button
          type="button"
          className="button button-primary"
          data-testid="dispatch-open-call"
          onClick={() => setPanel(panel.kind === 'call' ? { kind: 'none' } : { kind: 'call' })}
        >
          {t('dispatch.call')}
        </button>
        <Link to="/" className="button button-quiet">
          {t('dispatch.backToConsole')}
        </Link>
        <LanguageSwitch />
      </header>
      {notice && (
        <p role="alert" className="dispatch-error dispatch-notice">
          {notice}
        </p>
      )}
      {isError && <p role="alert">{t('dispatch.failed')}</p>}
      {!board && !isError && <p>{t('dispatch.loading')}</p>}
      {board && (
        <main className="dispatch-board">
          <Reports
            reports={board.reports}
            token={auth.token}
            unitName={unitName}
            onTimeline={(id) => setPanel({ kind: 'timeline', of: 'report', id })}
          />
          <section className="dispatch-tasks" aria-labelledby="dispatch-tasks-title">
            <h2 id="dispatch-tasks-title">{t('dispatch.tasks')}</h2>
            <p className="dispatch-muted">{t('dispatch.moveHint')}</p>
            <div className="dispatch-columns">
              {OPEN_STATES.map((state) => {
                const list = board.tasks.filter((x) => x.state === state);
                return (
                  <div
                    key={state}
                    className="dispatch-column"
                    data-testid="dispatch-column"
                    data-state={state}
                  >
                    <h3>
                      {t(`dispatch.state.${state}`)} ({list.length})
                    </h3>
                    {list.length === 0 && <p className="dispatch-muted">{t('dispatch.noTasks')}</p>}
                    {list.map((task) => (
                      <TaskCard
                        key={task.id}
                        task={task}
                        now={now}
                        tree={units.data}
                        auth={auth}
                        selected={selectedTask === task.id}
                        teamName={teamName}
                        onSelect={() => setSelectedTask(selectedTask === task.id ? null : task.id)}
                        onAssign={(teamId) => assignTo(task.id, teamId)}
                        onTimeline={() => setPanel({ kind: 'timeline', of: 'task', id: task.id })}
                      />
                    ))}
                  </div>
                );
              })}
            </div>
            <ResponseTimes
              token={auth.token}
              username={auth.username}
              unit={unit}
              unitName={unitName}
            />
            <p className="dispatch-muted">
              {t('dispatch.updatedAt', { time: formatDateTime(updatedAt) })}
            </p>
          </section>
          <Teams
            teams={board.teams}
            tasks={board.tasks}
            selectedTask={selectedTask}
            unitName={unitName}
            onAssign={assignTo}
          />
        </main>
      )}
      {panel.kind === 'call' && (
        <div className="dispatch-drawer">
          <CallForm
            token={auth.token}
            tree={units.data}
            home={unit}
            geo={geo.data}
            onDone={() =>
              void queryClient.invalidateQueries({
                queryKey: dispatchKeys.reports(auth.username, unit),
              })
            }
          />
          <button type="button" className="button" onClick={() => setPanel({ kind: 'none' })}>
            {t('dispatch.tl.close')}
          </button>
        </div>
      )}
      {panel.kind === 'timeline' && (
        <div className="dispatch-drawer">
          <TimelinePanel
            token={auth.token}
            username={auth.username}
            kind={panel.of}
            id={panel.id}
            teamName={teamName}
            onClose={() => setPanel({ kind: 'none' })}
          />
        </div>
      )}
    </div>
  );
}

function Reports({
  reports,
  token,
  unitName,
  onTimeline,
}: {
  reports: OpenReport[];
  token: string;
  unitName: (code: string) => string;
  onTimeline: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <section className="dispatch-reports" aria-labelledby="dispatch-reports-title">
      <h2 id="dispatch-reports-title">
        {t('dispatch.reports')} ({reports.length})
      </h2>
      {reports.length === 0 && <p className="dispatch-muted">{t('dispatch.noReports')}</p>}
      <ul>
        {reports.map((r) => (
          <ReportRow
            key={r.reportId}
            report={r}
            token={token}
            unitName={unitName}
            onTimeline={() => onTimeline(r.reportId)}
          />
        ))}
      </ul>
    </section>
  );
}

function ReportRow({
  report,
  token,
  unitName,
  onTimeline,
}: {
  report: OpenReport;
  token: string;
  unitName: (code: string) => string;
  onTimeline: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [type, setType] = useState<TaskView['type']>('tracing');
  const [priority, setPriority] = useState<TaskView['priority']>(report.priority ?? 'high');
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: async () => {
      if (!report.place) throw new Error(t('dispatch.noPlace'));
      if (report.priority !== priority) await dispatchApi.triage(token, report.reportId, priority);
      return dispatchApi.createTask(token, {
        type,
        unit: report.unit,
        place: report.place,
        priority,
        reportId: report.reportId,
        clientActionId: `task-${crypto.randomUUID()}`,
      });
    },
    onSuccess: () => {
      setOpen(false);
      setError(null);
    },
    onError: (err) => setError(errorText(err)),
  });
  return (
    <li
      className={`dispatch-report priority-${report.priority ?? 'none'}${report.drill ? ' is-drill' : ''}`}
      data-testid="dispatch-report"
      data-report-id={report.reportId}
    >
      <div className="dispatch-row-head">
        <strong>{t(`category.${report.category}`)}</strong>
        <span className="dispatch-chip">
          {report.priority ? t(`dispatch.priority.${report.priority}`) : t('dispatch.untriaged')}
        </span>
      </div>
      <div className="dispatch-muted">
        {formatRecent(report.occurredAt)} · {unitName(report.unit)}
        {report.place && ` · ${report.place.lat.toFixed(4)}, ${report.place.lon.toFixed(4)}`}
      </div>
      <p className="dispatch-desc">{report.description}</p>
      {report.likelyDuplicates > 0 && (
        <p className="dispatch-dup" data-testid="dispatch-duplicate">
          {t('dispatch.duplicates', { count: report.likelyDuplicates })}
        </p>
      )}
      <div className="dispatch-actions">
        {report.taskIds.length > 0 && (
          <span className="dispatch-muted">
            {t('dispatch.reportTasks', { count: report.taskIds.length })}
          </span>
        )}
        <button
          type="button"
          className="button"
          data-testid="dispatch-report-to-task"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {t('dispatch.toTask')}
        </button>
        <button type="button" className="button button-quiet" onClick={onTimeline}>
          {t('dispatch.timeline')}
        </button>
        <ReportResolve report={report} token={token} errorText={errorText} />
      </div>
      {open && (
        <form
          className="dispatch-inline"
          aria-label={t('dispatch.toTaskTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label>
            {t('dispatch.taskType')}
            <select
              name="type"
              value={type}
              onChange={(e) => setType(e.target.value as TaskView['type'])}
            >
              {TASK_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(`dispatch.type.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('dispatch.priority')}
            <select
              name="priority"
              value={priority}
              onChange={(e) => setPriority(e.target.value as TaskView['priority'])}
            >
              {TASK_PRIORITIES.map((x) => (
                <option key={x} value={x}>
                  {t(`dispatch.priority.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="button button-primary"
            data-testid="dispatch-create-task"
            disabled={create.isPending}
          >
            {t('dispatch.create')}
          </button>
          <button type="button" className="button" onClick={() => setOpen(false)}>
            {t('dispatch.cancel')}
          </button>
          {error && (
            <p role="alert" className="dispatch-error">
              {error}
            </p>
          )}
        </form>
      )}
    </li>
  );
}

/** Level 1 and 2 alert the task's own unit; level 3 the unit above, named by its level. */
function levelLabel(
  level: number,
  targetUnit: string,
  tree: UnitTree | undefined,
  t: ReturnType<typeof useI18n>['t'],
): string {
  if (level === 1) return t('dispatch.level.1');
  if (level === 2) return t('dispatch.level.2');
  const above = tree?.get(targetUnit)?.level;
  return above === 'province'
    ? t('dispatch.level.province')
    : above === 'district'
      ? t('dispatch.level.district')
      : t('dispatch.level.above');
}

function TaskCard({
  task,
  now,
  tree,
  auth,
  selected,
  teamName,
  onSelect,
  onAssign,
  onTimeline,
}: {
  task: TaskView;
  now: number;
  tree: UnitTree | undefined;
  auth: Auth;
  selected: boolean;
  teamName: (id: string) => string;
  onSelect: () => void;
  onAssign: (teamId: string) => void;
  onTimeline: () => void;
}) {
  const { t } = useI18n();
  const [showNearest, setShowNearest] = useState(false);
  const deadline = currentDeadline(task);
  const left = deadline.due - now;
  const overdue = left < 0;
  const assignable = task.state === 'created' || task.state === 'assigned';
  const byDeadline = (['acknowledge', 'finish'] as const)
    .map((kind) =>
      task.escalations.filter((e) => e.deadline === kind).sort((a, b) => a.level - b.level),
    )
    .filter((list) => list.length > 0);
  const onDragStart = (e: DragEvent) => {
    e.dataTransfer.setData(TASK_DRAG_TYPE, task.id);
    e.dataTransfer.setData('text/plain', task.id);
    e.dataTransfer.effectAllowed = 'move';
  };
  return (
    <article
      className={`dispatch-task priority-${task.priority}${overdue ? ' is-overdue' : ''}${selected ? ' is-selected' : ''}`}
      data-testid="dispatch-task"
      data-task-id={task.id}
      data-state={task.state}
      draggable={assignable}
      onDragStart={assignable ? onDragStart : undefined}
    >
      <div className="dispatch-row-head">
        <strong>{t(`dispatch.type.${task.type}`)}</strong>
        <span className="dispatch-chip">{t(`dispatch.priority.${task.priority}`)}</span>
      </div>
      <div
        className={overdue ? 'dispatch-countdown is-overdue' : 'dispatch-countdown'}
        data-testid="dispatch-countdown"
        data-overdue={overdue ? 'true' : 'false'}
      >
        {overdue
          ? t('dispatch.overdue', { time: formatCountdown(left) })
          : t(deadline.kind === 'acknowledge' ? 'dispatch.due' : 'dispatch.dueFinish', {
              time: formatCountdown(left),
            })}
      </div>
      <div className="dispatch-muted">
        {task.teamId ? t('dispatch.teamOf', { team: teamName(task.teamId) }) : t('dispatch.noTeam')}
      </div>
      {byDeadline.map((list) => (
        <p
          key={list[0].deadline}
          className="dispatch-escalation"
          data-testid="dispatch-escalation"
          data-deadline={list[0].deadline}
          data-levels={list.map((e) => e.level).join(',')}
        >
          {t('dispatch.escalated', {
            chain: list.map((e) => levelLabel(e.level, e.targetUnit, tree, t)).join(' → '),
          })}
        </p>
      ))}
      <div className="dispatch-actions">
        {assignable && (
          <>
            <button
              type="button"
              className="button"
              aria-pressed={selected}
              data-testid="dispatch-select-task"
              onClick={onSelect}
            >
              {selected ? t('dispatch.selected') : t('dispatch.selectTask')}
            </button>
            <button
              type="button"
              className="button"
              data-testid="dispatch-nearest"
              aria-expanded={showNearest}
              onClick={() => setShowNearest(!showNearest)}
            >
              {t('dispatch.nearest')}
            </button>
          </>
        )}
        <button
          type="button"
          className="button button-quiet"
          data-testid="dispatch-task-timeline"
          onClick={onTimeline}
        >
          {t('dispatch.timeline')}
        </button>
      </div>
      {showNearest && assignable && (
        <NearestTeams
          auth={auth}
          taskId={task.id}
          onPick={(teamId) => {
            setShowNearest(false);
            onAssign(teamId);
          }}
        />
      )}
    </article>
  );
}

function NearestTeams({
  auth,
  taskId,
  onPick,
}: {
  auth: Auth;
  taskId: string;
  onPick: (teamId: string) => void;
}) {
  const { t, formatNumber } = useI18n();
  const nearest = useQuery({
    queryKey: dispatchKeys.nearest(auth.username, taskId),
    queryFn: ({ signal }) => dispatchApi.nearest(auth.token, taskId, signal),
    staleTime: 0,
  });
  return (
    <div className="dispatch-nearest" role="group" aria-label={t('dispatch.nearestTitle')}>
      {nearest.isPending && <p>{t('dispatch.loading')}</p>}
      {nearest.data && nearest.data.teams.length === 0 && <p>{t('dispatch.nearestNone')}</p>}
      {nearest.data?.teams.map((n) => (
        <button
          key={n.team.id}
          type="button"
          className="button"
          data-testid="dispatch-nearest-team"
          data-team-id={n.team.id}
          onClick={() => onPick(n.team.id)}
        >
          {t('dispatch.assignTo', { team: n.team.name })} ·{' '}
          {t('dispatch.distance', { km: formatNumber(Math.round(n.distanceM / 100) / 10) })}
        </button>
      ))}
    </div>
  );
}

function Teams({
  teams,
  tasks,
  selectedTask,
  unitName,
  onAssign,
}: {
  teams: TeamView[];
  tasks: TaskView[];
  selectedTask: string | null;
  unitName: (code: string) => string;
  onAssign: (taskId: string, teamId: string) => void;
}) {
  const { t } = useI18n();
  const [over, setOver] = useState<string | null>(null);
  return (
    <section className="dispatch-teams" aria-labelledby="dispatch-teams-title">
      <h2 id="dispatch-teams-title">{t('dispatch.teams')}</h2>
      {teams.length === 0 && <p className="dispatch-muted">{t('dispatch.noTeams')}</p>}
      {teams.map((team) => {
        const takes = team.status !== 'off-duty';
        const open = tasks.filter((x) => x.teamId === team.id).length;
        return (
          <article
            key={team.id}
            className={`dispatch-team status-${team.status}${over === team.id ? ' is-over' : ''}`}
            data-testid="dispatch-team"
            data-team-id={team.id}
            data-status={team.status}
            onDragOver={(e) => {
              if (!takes || !e.dataTransfer.types.includes(TASK_DRAG_TYPE)) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              setOver(team.id);
            }}
            onDragLeave={() => setOver(null)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(null);
              const taskId = e.dataTransfer.getData(TASK_DRAG_TYPE);
              if (taskId && takes) onAssign(taskId, team.id);
            }}
          >
            <div className="dispatch-row-head">
              <strong>{team.name}</strong>
              <span className="dispatch-chip" data-testid="dispatch-team-status">
                {t(`dispatch.teamStatus.${team.status}`)}
              </span>
            </div>
            <div className="dispatch-muted">
              {t(`dispatch.type.${team.kind}`)} · {unitName(team.unit)}
              {open > 0 && ` · ${t('dispatch.reportTasks', { count: open })}`}
            </div>
            {selectedTask && takes && (
              <button
                type="button"
                className="button"
                data-testid="dispatch-team-assign"
                onClick={() => onAssign(selectedTask, team.id)}
              >
                {t('dispatch.assign')}
              </button>
            )}
          </article>
        );
      })}
    </section>
  );
}
