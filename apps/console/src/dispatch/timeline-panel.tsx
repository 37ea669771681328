import { useQuery } from '@tanstack/react-query';
import type {
  ReportTimelineResponse,
  TaskTimelineResponse,
  TimelineStep,
} from '@frontline/contracts';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { formatDateTime, formatDayKey } from '../lib/time';
import { formatCountdown } from './board-state';
import { dispatchApi, dispatchKeys } from './dispatch-api';

export type TimelineKind = 'task' | 'report';

const ms = (v: number | null) => (v === null ? '—' : formatCountdown(v));

/** Who did each step of a report or task and how long it took (the accountability view). */
export function TimelinePanel({
  token,
  username,
  kind,
  id,
  teamName,
  onClose,
}: {
  token: string;
  username: string;
  kind: TimelineKind;
  id: string;
  teamName: (id: string) => string;
  onClose: () => void;
}) {
  const { t, tMaybe } = useI18n();
  const timeline = useQuery({
    queryKey: dispatchKeys.timeline(username, kind, id),
    queryFn: ({ signal }): Promise<TaskTimelineResponse | ReportTimelineResponse> =>
      kind === 'task'
        ? dispatchApi.taskTimeline(token, id, signal)
        : dispatchApi.reportTimeline(token, id, signal),
    refetchInterval: 15_000,
  });
  const data = timeline.data;
  const durations: [MessageKey, number | null][] = !data
    ? []
    : 'taskId' in data
      ? [
          ['dispatch.tl.toAssign', data.durations.toAssignMs],
          ['dispatch.tl.toAcknowledge', data.durations.toAcknowledgeMs],
          ['dispatch.tl.toDone', data.durations.acknowledgedToDoneMs],
        ]
      : [
          ['dispatch.tl.toTriage', data.durations.toTriageMs],
          ['dispatch.tl.toFirstTask', data.durations.toFirstTaskMs],
        ];
  const who = (s: TimelineStep) =>
    s.actorName ?? (s.actor.startsWith('system:') ? t('dispatch.tl.system') : s.actor);
  const detail = (s: TimelineStep) => {
    const parts: string[] = [];
    if (typeof s.detail.teamId === 'string') parts.push(teamName(s.detail.teamId));
    if (typeof s.detail.priority === 'string')
      parts.push(tMaybe(`dispatch.priority.${s.detail.priority}`) ?? s.detail.priority);
    if (typeof s.detail.state === 'string')
      parts.push(tMaybe(`dispatch.state.${s.detail.state}`) ?? s.detail.state);
    if (typeof s.detail.level === 'number') parts.push(`${s.detail.level}`);
    return parts.join(' · ');
  };
  const steps = data
    ? 'taskId' in data
      ? data.steps
      : [...data.steps, ...data.tasks.flatMap((x) => x.steps)]
    : [];
  const seen = new Set<string>();
  const unique = steps
    .filter((s) => !seen.has(s.eventId) && seen.add(s.eventId))
    .sort((a, b) => a.at.localeCompare(b.at));

  return (
    <aside
      className="dispatch-panel"
      data-testid="dispatch-timeline"
      data-kind={kind}
      data-id={id}
      aria-labelledby="dispatch-tl-title"
    >
      <header>
        <h2 id="dispatch-tl-title">
          {t('dispatch.tl.title')}:{' '}
          {kind === 'task' ? t('dispatch.tl.task') : t('dispatch.tl.report')} {id.slice(0, 8)}
        </h2>
        <button
          type="button"
          className="button"
          onClick={onClose}
          data-testid="dispatch-timeline-close"
        >
          {t('dispatch.tl.close')}
        </button>
      </header>
      {timeline.isPending && <p>{t('dispatch.loading')}</p>}
      {timeline.isError && <p role="alert">{t('dispatch.failed')}</p>}
      {data && (
        <>
          <table className="dispatch-table">
            <thead>
              <tr>
                <th>{t('dispatch.tl.step')}</th>
                <th>{t('dispatch.tl.at')}</th>
                <th>{t('dispatch.tl.who')}</th>
                <th>{t('dispatch.tl.took')}</th>
              </tr>
            </thead>
            <tbody>
              {unique.map((s, i) => (
                <tr key={s.eventId} data-testid="dispatch-timeline-step" data-type={s.type}>
                  <td>
                    {tMaybe(`dispatch.tl.type.${s.type}`) ?? s.type}
                    {detail(s) && <div className="dispatch-muted">{detail(s)}</div>}
                  </td>
                  <td>{formatDateTime(s.at)}</td>
                  <td data-testid="dispatch-timeline-actor">{who(s)}</td>
                  <td>{i === 0 ? '—' : ms(Date.parse(s.at) - Date.parse(unique[i - 1].at))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('dispatch.tl.durations')}</h3>
          <dl className="dispatch-durations">
            {durations.map(([key, value]) => (
              <div key={key}>
                <dt>{t(key)}</dt>
                <dd>{ms(value)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </aside>
  );
}

/** Per unit of the subtree, today: median and worst time to acknowledge and to finish. */
export function ResponseTimes({
  token,
  username,
  unit,
  unitName,
}: {
  token: string;
  username: string;
  unit: string;
  unitName: (code: string) => string;
}) {
  const { t } = useI18n();
  const times = useQuery({
    queryKey: dispatchKeys.responseTimes(username, unit),
    queryFn: ({ signal }) => dispatchApi.responseTimes(token, unit, signal),
    refetchInterval: 60_000,
  });
  return (
    <section
      className="dispatch-rt"
      data-testid="dispatch-response-times"
      aria-labelledby="dispatch-rt-title"
    >
      <h2 id="dispatch-rt-title">
        {t('dispatch.rt.title')} {times.data && `(${formatDayKey(times.data.day)})`}
      </h2>
      {times.data && !times.data.units.length && (
        <p className="dispatch-muted">{t('dispatch.rt.none')}</p>
      )}
      {times.data && times.data.units.length > 0 && (
        <table className="dispatch-table">
          <thead>
            <tr>
              <th>{t('dispatch.rt.unit')}</th>
              <th>{t('dispatch.rt.tasks')}</th>
              <th>{t('dispatch.rt.ackMedian')}</th>
              <th>{t('dispatch.rt.ackWorst')}</th>
              <th>{t('dispatch.rt.doneMedian')}</th>
              <th>{t('dispatch.rt.doneWorst')}</th>
              <th>{t('dispatch.rt.overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {times.data.units.map((u) => (
              <tr key={u.unit} data-testid="dispatch-rt-unit" data-unit={u.unit}>
                <td>{unitName(u.unit)}</td>
                <td>{u.tasks}</td>
                <td>{ms(u.acknowledgeMedianMs)}</td>
                <td>{ms(u.acknowledgeWorstMs)}</td>
                <td>{ms(u.doneMedianMs)}</td>
                <td>{ms(u.doneWorstMs)}</td>
                <td className={u.unacknowledgedPastDeadline ? 'dispatch-error' : undefined}>
                  {u.unacknowledgedPastDeadline}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
