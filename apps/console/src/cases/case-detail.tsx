import type { CaseDetail, TaskView } from '@frontline/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatDateTime, formatDayKey } from '../lib/time';
import { CaseMap } from './case-map';
import type { MapPin } from './case-map';
import { DEFAULT_GRAPH_DEPTH } from './case-routes';
import { casesApi, casesKeys } from './cases-api';
import { CasesLink } from './cases-context';
import type { CasesContext } from './cases-context';
import { caseCode, useCaseLabels } from './labels';

/**
 * One case: its summary, the person for roles allowed (the API includes it only for them and
 * writes the audit row), status history, tests, source and contacts, its unit on a small map and
 * its tasks — the tracing task of a new F0 appears here live (task events refresh the list).
 */
export function CaseDetailView({ ctx, id }: { ctx: CasesContext; id: string }) {
  const { t } = useI18n();
  const detail = useQuery({
    queryKey: casesKeys.detail(ctx.auth.username, id),
    queryFn: ({ signal }) => casesApi.detail(ctx.auth.token, id, signal),
    // Each read with personal fields is audited: read again only when an event names the case.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const tasks = useQuery({
    queryKey: casesKeys.tasks(ctx.auth.username, id),
    queryFn: ({ signal }) => casesApi.tasks(ctx.auth.token, id, signal),
  });
  const pins = useMemo<MapPin[]>(() => {
    const out: MapPin[] = (tasks.data?.tasks ?? []).map((task) => ({
      id: task.id,
      ...task.place,
      kind: 'task',
    }));
    const location = detail.data?.person?.location;
    if (location) out.push({ id: 'person', ...location, kind: 'person' });
    return out;
  }, [tasks.data, detail.data]);

  if (detail.isPending) return <p className="cases-muted">{t('cases.detail.loading')}</p>;
  if (detail.isError) return <p role="alert">{t('cases.detail.failed')}</p>;
  const c = detail.data;

  return (
    <article
      className="case-detail"
      data-testid="case-detail"
      data-case-id={c.id}
      data-classification={c.classification}
      data-status={c.status}
    >
      <header className="case-detail-head">
        <h2 data-testid="case-detail-title">{t('cases.detail.title', { code: caseCode(c.id) })}</h2>
        <CasesLink
          to={{ view: 'graph', id: c.id, depth: DEFAULT_GRAPH_DEPTH, direction: 'both' }}
          navigate={ctx.navigate}
          className="button"
          data-testid="case-open-graph"
        >
          {t('cases.detail.graph')}
        </CasesLink>
      </header>
      <div className="case-detail-grid">
        <Summary ctx={ctx} c={c} />
        <section className="cases-card" aria-labelledby="case-map-title">
          <h3 id="case-map-title">{t('cases.detail.map')}</h3>
          <CaseMap auth={ctx.auth} unit={c.unit} pins={pins} />
          <p className="cases-muted">{t('cases.detail.mapNote')}</p>
        </section>
        <Tasks tasks={tasks.data?.tasks} failed={tasks.isError} />
        <History c={c} />
        <Tests c={c} />
        <Contacts ctx={ctx} c={c} />
      </div>
    </article>
  );
}

function Summary({ ctx, c }: { ctx: CasesContext; c: CaseDetail }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  const p = c.person;
  return (
    <section className="cases-card" aria-labelledby="case-summary-title">
      <h3 id="case-summary-title">{t('cases.detail.summary')}</h3>
      <dl className="case-facts">
        <dt>{t('cases.col.classification')}</dt>
        <dd>
          <span
            className={`class-badge class-${c.classification}`}
            data-testid="case-classification"
          >
            {labels.classification(c.classification)}
          </span>
          {c.repositive && <span className="cases-flag">{t('cases.proposals.repositive')}</span>}
        </dd>
        <dt>{t('cases.col.status')}</dt>
        <dd data-testid="case-status">{labels.status(c.status)}</dd>
        <dt>{t('cases.detail.unit')}</dt>
        <dd>{ctx.unitName(c.unit)}</dd>
        <dt>{t('cases.detail.monitoring')}</dt>
        <dd>
          {t('cases.detail.monitoringRange', {
            from: formatDayKey(c.monitoringStart),
            to: formatDayKey(c.monitoringEnds),
            days: c.monitoringDays,
          })}
        </dd>
        <dt>{t('cases.detail.isolation')}</dt>
        <dd>
          {c.isolation
            ? `${t(`cases.detail.isolation.${c.isolation.kind}`)}${c.isolation.place ? ` · ${c.isolation.place}` : ''}`
            : t('cases.detail.none')}
        </dd>
      </dl>
      <h3>{t('cases.detail.person')}</h3>
      {p ? (
        <div data-testid="case-person">
          <dl className="case-facts">
            <dt>{t('cases.detail.name')}</dt>
            <dd data-testid="case-person-name">{p.fullName ?? t('cases.detail.none')}</dd>
            <dt>{t('cases.detail.birthYear')}</dt>
            <dd>{p.birthYear ?? t('cases.detail.none')}</dd>
            <dt>{t('cases.detail.phone')}</dt>
            <dd>{p.phone ?? t('cases.detail.none')}</dd>
            <dt>{t('cases.detail.nationalId')}</dt>
            <dd>{p.nationalId ?? t('cases.detail.none')}</dd>
            <dt>{t('cases.detail.address')}</dt>
            <dd>{p.address ?? t('cases.detail.none')}</dd>
          </dl>
          <p className="cases-muted">{t('cases.detail.audited')}</p>
        </div>
      ) : (
        <p className="cases-muted" data-testid="case-person-hidden">
          {t('cases.detail.personHidden')}
        </p>
      )}
    </section>
  );
}

function Tasks({ tasks, failed }: { tasks: TaskView[] | undefined; failed: boolean }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  return (
    <section className="cases-card" aria-labelledby="case-tasks-title" data-testid="case-tasks">
      <h3 id="case-tasks-title">{t('cases.detail.tasks')}</h3>
      {failed && <p role="alert">{t('cases.list.failed')}</p>}
      {tasks && !tasks.length && <p className="cases-muted">{t('cases.detail.noTasks')}</p>}
      <ul aria-live="polite">
        {tasks?.map((task) => (
          <li
            key={task.id}
            className={`case-task priority-${task.priority}`}
            data-testid="case-task"
            data-task-id={task.id}
            data-task-type={task.type}
            data-task-state={task.state}
          >
            <strong>{labels.taskType(task.type)}</strong> · {labels.taskState(task.state)}
            <div className="cases-muted">
              {t('cases.task.priority', { priority: labels.priority(task.priority) })} ·{' '}
              {t('cases.task.deadline', { time: formatDateTime(task.acknowledgeBy).slice(0, 16) })}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function History({ c }: { c: CaseDetail }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  const state = (classification: string | null, status: string | null) =>
    classification && status
      ? `${labels.classification(classification)} · ${labels.status(status)}`
      : '—';
  return (
    <section className="cases-card case-wide" aria-labelledby="case-history-title">
      <h3 id="case-history-title">{t('cases.detail.history')}</h3>
      <table data-testid="case-history">
        <thead>
          <tr>
            <th>{t('cases.detail.col.at')}</th>
            <th>{t('cases.detail.col.change')}</th>
            <th>{t('cases.detail.col.actor')}</th>
            <th>{t('cases.detail.col.note')}</th>
          </tr>
        </thead>
        <tbody>
          {c.history.map((h, i) => (
            <tr
              key={`${h.at}-${i}`}
              data-testid="case-history-row"
              data-to={`${h.toClassification}:${h.toStatus}`}
            >
              <td>{formatDateTime(h.at)}</td>
              <td>
                {state(h.fromClassification, h.fromStatus)} →{' '}
                {state(h.toClassification, h.toStatus)}
              </td>
              <td data-testid="case-history-actor">
                {h.actorName ??
                  (h.actor.startsWith('system:') ? t('cases.detail.system') : h.actor)}
              </td>
              <td>{h.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Tests({ c }: { c: CaseDetail }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  return (
    <section className="cases-card" aria-labelledby="case-tests-title">
      <h3 id="case-tests-title">{t('cases.detail.tests')}</h3>
      {!c.tests.length ? (
        <p className="cases-muted">{t('cases.detail.noTests')}</p>
      ) : (
        <table data-testid="case-tests">
          <thead>
            <tr>
              <th>{t('cases.detail.col.test')}</th>
              <th>{t('cases.detail.col.method')}</th>
              <th>{t('cases.detail.col.result')}</th>
              <th>{t('cases.detail.col.taken')}</th>
            </tr>
          </thead>
          <tbody>
            {c.tests.map((test) => (
              <tr key={test.testId} className={`result-${test.result}`}>
                <td className="mono">{test.testId.slice(0, 12)}</td>
                <td>{labels.method(test.method)}</td>
                <td>{labels.result(test.result)}</td>
                <td>{formatDateTime(test.takenAt).slice(0, 16)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Contacts({ ctx, c }: { ctx: CasesContext; c: CaseDetail }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  return (
    <section
      className="cases-card"
      aria-labelledby="case-contacts-title"
      data-testid="case-contacts"
    >
      <h3 id="case-contacts-title">{t('cases.detail.source')}</h3>
      {c.sourceCaseId ? (
        <p data-testid="case-source">
          <CasesLink
            to={{ view: 'detail', id: c.sourceCaseId }}
            navigate={ctx.navigate}
            className="mono"
          >
            {caseCode(c.sourceCaseId)}
          </CasesLink>
          {c.exposure &&
            ` · ${t('cases.detail.exposure', { date: formatDayKey(c.exposure.date), setting: labels.setting(c.exposure.setting) })}`}
        </p>
      ) : (
        <p className="cases-muted">{t('cases.detail.noSource')}</p>
      )}
      <h3>{t('cases.detail.contacts', { count: c.contacts.length })}</h3>
      {!c.contacts.length && <p className="cases-muted">{t('cases.detail.noContacts')}</p>}
      <ul className="case-contacts">
        {c.contacts.map((contact) => (
          <li key={contact.id} data-testid="case-contact">
            <CasesLink
              to={{ view: 'detail', id: contact.id }}
              navigate={ctx.navigate}
              className="mono"
            >
              {caseCode(contact.id)}
            </CasesLink>{' '}
            <span className={`class-badge class-${contact.classification}`}>
              {labels.classification(contact.classification)}
            </span>{' '}
            {labels.status(contact.status)}
          </li>
        ))}
      </ul>
    </section>
  );
}
