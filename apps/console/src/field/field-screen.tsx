import type { TaskView } from '@frontline/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { FIELD_PATH } from '../shell/screens';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { alarm } from '../alerts/alarm';
import { isUnauthorized } from '../api/client';
import { useAuth, useUnits } from '../api/queries';
import { ConnectionStatus } from '../components/connection-status';
import { LanguageSwitch } from '../components/language-switch';
import { SoundToggle } from '../components/sound-toggle';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { ConnectionState } from '../realtime/feed-state';
import type { Session } from '../session/session';
import { fetchFieldTasks, sendFieldAction } from './field-api';
import { FieldLive } from './field-live';
import { Outbox } from './outbox';
import type { FieldAction, OutboxEntry, Refusal } from './outbox';
import { TaskCard } from './task-card';
import { OPEN_STATES, orderOpen } from './task-steps';
import './field.css';

/** The list is read again this often even without a socket signal (a safety net). */
const REFRESH_MS = 60_000;
/** Socket signals closer than this cause one read. */
const SIGNAL_DEBOUNCE_MS = 300;
/** Cancelled tasks stay on screen this long (unless dismissed). */
const SHOW_CANCELLED_MS = 12 * 3_600_000;

const fieldKeys = {
  tasks: (username: string) => ['field', username, 'tasks'] as const,
};

interface Notice {
  id: string;
  kind: 'new' | 'cancelled';
  taskId: string;
  type: TaskView['type'];
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** A short buzz and the chime (where the phone and the browser allow them). */
function notify(): void {
  alarm.ring();
  try {
    navigator.vibrate?.([200, 100, 200]);
  } catch {
    // Vibration is optional.
  }
}

/**
 * The field team's phone page (/field): the member's current and waiting tasks, one tap per
 * step, each tap kept in a persistent outbox until the server confirms it, live updates from
 * the socket (docs/decisions/0019-field-page-and-citizen-form.md).
 */
export function FieldScreen({
  session,
  onLogout,
  onUnauthorized,
}: {
  session: Session;
  onLogout: () => void;
  onUnauthorized: () => void;
}) {
  const { t, tMaybe } = useI18n();
  const queryClient = useQueryClient();
  const online = useOnline();
  const auth = useAuth(session);
  const units = useUnits(auth);
  const onUnauthorizedRef = useRef(onUnauthorized);
  onUnauthorizedRef.current = onUnauthorized;
  const router = useRouter();

  // Whatever address the member opened, the field page lives at /field.
  useEffect(() => {
    if (router.state.location.pathname !== FIELD_PATH)
      void router.navigate({ href: FIELD_PATH, replace: true });
  }, [router]);

  const tasksKey = fieldKeys.tasks(auth.username);
  const tasks = useQuery({
    queryKey: tasksKey,
    queryFn: ({ signal }) => fetchFieldTasks(auth.token, signal),
    refetchInterval: REFRESH_MS,
    retry: (failures, error) => !isUnauthorized(error) && failures < 3,
  });

  // The outbox: one per account, kept in localStorage, started with the page.
  const [outbox] = useState(
    () =>
      new Outbox({
        storage: storage(),
        key: `frontline.field.outbox.${auth.username}`,
        send: (entry) => sendFieldAction(auth.token, entry),
        isOnline: () => navigator.onLine !== false,
        onDelivered: (task) =>
          queryClient.setQueryData<TaskView[]>(tasksKey, (list) =>
            list ? list.map((x) => (x.id === task.id ? task : x)) : list,
          ),
        onUnauthorized: () => onUnauthorizedRef.current(),
      }),
  );
  useEffect(() => {
    outbox.start();
    return () => outbox.stop();
  }, [outbox]);
  const box = useSyncExternalStore(outbox.subscribe, outbox.getSnapshot);
  useEffect(() => {
    if (online) outbox.retryNow();
  }, [online, outbox]);

  // Live: a task event (or a reconnect) means "read the list again", once per burst.
  const [connection, setConnection] = useState<ConnectionState>('reconnecting');
  const [lastSignalAt, setLastSignalAt] = useState<number | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const live = new FieldLive({
      token: auth.token,
      onTasksChanged: (ids) => {
        if (ids.length) setLastSignalAt(Date.now());
        clearTimeout(timer);
        timer = setTimeout(() => {
          void queryClient.invalidateQueries({ queryKey: fieldKeys.tasks(auth.username) });
        }, SIGNAL_DEBOUNCE_MS);
      },
      onState: setConnection,
      onUnauthorized: () => onUnauthorizedRef.current(),
    });
    live.start();
    return () => {
      clearTimeout(timer);
      live.stop();
    };
  }, [auth.token, auth.username, queryClient]);

  // New and cancelled tasks since the last read: a notice, the chime, a buzz.
  const [notices, setNotices] = useState<Notice[]>([]);
  const known = useRef<Map<string, TaskView['state']> | null>(null);
  useEffect(() => {
    const list = tasks.data;
    if (!list) return;
    const before = known.current;
    known.current = new Map(list.map((x) => [x.id, x.state]));
    if (!before) return; // the first read is not news
    const fresh: Notice[] = [];
    for (const task of list) {
      const was = before.get(task.id);
      if (OPEN_STATES.includes(task.state) && (was === undefined || was === 'created')) {
        fresh.push({ id: `new:${task.id}`, kind: 'new', taskId: task.id, type: task.type });
      } else if (task.state === 'cancelled' && was !== undefined && was !== 'cancelled') {
        fresh.push({
          id: `cancelled:${task.id}`,
          kind: 'cancelled',
          taskId: task.id,
          type: task.type,
        });
      }
    }
    if (!fresh.length) return;
    setNotices((current) => [
      ...current.filter((n) => !fresh.some((f) => f.id === n.id)),
      ...fresh,
    ]);
    notify();
  }, [tasks.data]);

  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const queuedOf = useCallback(
    (taskId: string): OutboxEntry[] => box.entries.filter((e) => e.taskId === taskId),
    [box.entries],
  );
  const tap = useCallback(
    (taskId: string, action: FieldAction) => {
      alarm.unlock(); // a tap is the gesture that lets the page play the chime later
      outbox.enqueue(taskId, action);
    },
    [outbox],
  );

  const list = tasks.data ?? [];
  const open = orderOpen(list);
  const [current, ...queued] = open;
  const now = Date.now();
  const cancelled = list.filter(
    (x) =>
      x.state === 'cancelled' &&
      !dismissed.has(x.id) &&
      (notices.some((n) => n.taskId === x.id) || now - Date.parse(x.updatedAt) < SHOW_CANCELLED_MS),
  );
  const doneCount = list.filter((x) => x.state === 'done').length;
  const unitName = (code: string) => units.data?.name(code) ?? code;
  const typeLabel = (type: TaskView['type']) => tMaybe(`field.type.${type}`) ?? type;
  const offline = !online || connection === 'offline';
  const pending = box.entries.length;

  const refusalText = (r: Refusal) => {
    const task = list.find((x) => x.id === r.taskId);
    const why: MessageKey =
      task?.state === 'cancelled'
        ? 'field.why.cancelled'
        : task?.state === 'done'
          ? 'field.why.done'
          : r.status === 403
            ? 'field.why.forbidden'
            : r.status === 404
              ? 'field.why.notFound'
              : r.status === 409
                ? 'field.why.conflict'
                : 'field.why.invalid';
    return t('field.refused', {
      action: t(`field.action.${r.action}`),
      task: task ? typeLabel(task.type) : `#${r.taskId.slice(0, 8)}`,
      why: t(why),
    });
  };

  const card = (task: TaskView, isCurrent: boolean) => (
    <TaskCard
      key={task.id}
      task={task}
      current={isCurrent}
      queued={queuedOf(task.id)}
      unitName={unitName(task.unit)}
      onTap={tap}
    />
  );

  return (
    <div className="field-screen" data-testid="field-screen">
      <header className="field-header">
        <div className="field-header-top">
          <h1>{t('field.title')}</h1>
          <ConnectionStatus connection={connection} lastEventAt={lastSignalAt} />
        </div>
        <div className="field-header-tools">
          <SoundToggle />
          <LanguageSwitch />
          <button type="button" className="button button-quiet" onClick={onLogout}>
            {t('field.logout')}
          </button>
        </div>
      </header>

      {offline && (
        <div className="field-banner field-offline" data-testid="field-offline" role="alert">
          {t('field.offline')}
        </div>
      )}
      <div
        className={`field-outbox${pending ? ' has-pending' : ''}`}
        data-testid="field-outbox"
        data-count={pending}
        role="status"
      >
        <span>{pending ? t('field.outbox', { count: pending }) : t('field.outboxEmpty')}</span>
        {pending > 0 && box.failing && !offline && <span> · {t('field.failing')}</span>}
        {pending > 0 && online && (
          <button type="button" className="button" onClick={() => outbox.retryNow()}>
            {t('field.retryNow')}
          </button>
        )}
      </div>

      <div className="field-notices" aria-live="polite">
        {box.refusals.map((r) => (
          <div
            key={r.id}
            className="field-notice is-refused"
            data-testid="field-refused"
            data-task-id={r.taskId}
            role="alert"
          >
            <span>{refusalText(r)}</span>
            <button type="button" className="button" onClick={() => outbox.dismiss(r.id)}>
              {t('field.dismiss')}
            </button>
          </div>
        ))}
        {notices.map((n) => (
          <div
            key={n.id}
            className={`field-notice is-${n.kind}`}
            data-testid="field-notice"
            data-kind={n.kind}
            data-task-id={n.taskId}
          >
            <span>
              {t(n.kind === 'new' ? 'field.newTask' : 'field.taskCancelled', {
                type: typeLabel(n.type),
              })}
            </span>
            <button
              type="button"
              className="button"
              onClick={() => setNotices((c) => c.filter((x) => x.id !== n.id))}
            >
              {t('field.dismiss')}
            </button>
          </div>
        ))}
      </div>

      <main className="field-main">
        {tasks.isPending && <p>{t('field.loading')}</p>}
        {tasks.isError && !tasks.data && <p role="alert">{t('field.loadFailed')}</p>}
        {tasks.data && !current && !cancelled.length && (
          <p className="field-empty">{t('field.none')}</p>
        )}
        {current && (
          <section aria-labelledby="field-current">
            <h2 id="field-current">{t('field.current')}</h2>
            {card(current, true)}
          </section>
        )}
        {queued.length > 0 && (
          <section aria-labelledby="field-queued">
            <h2 id="field-queued">{t('field.queued', { count: queued.length })}</h2>
            {queued.map((task) => card(task, false))}
          </section>
        )}
        {cancelled.length > 0 && (
          <section aria-labelledby="field-cancelled">
            <h2 id="field-cancelled">{t('field.cancelledTitle')}</h2>
            {cancelled.map((task) => (
              <article
                key={task.id}
                className="field-task is-cancelled"
                data-testid="field-task"
                data-task-id={task.id}
                data-state={task.state}
              >
                <h3>{typeLabel(task.type)}</h3>
                <p role="status">{t('field.cancelled', { reason: task.cancelReason ?? '—' })}</p>
                <button
                  type="button"
                  className="button"
                  onClick={() => setDismissed((d) => new Set([...d, task.id]))}
                >
                  {t('field.dismiss')}
                </button>
              </article>
            ))}
          </section>
        )}
        {doneCount > 0 && (
          <p className="field-muted">{t('field.doneToday', { count: doneCount })}</p>
        )}
      </main>
    </div>
  );
}
