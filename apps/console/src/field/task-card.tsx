import type { TaskView } from '@frontline/contracts';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/time';
import type { FieldAction, OutboxEntry } from './outbox';
import { FIELD_ACTIONS, canDo, expectedState, isPassed } from './task-steps';

/** The data-testid of each step's button (other tests drive the page through them). */
const BUTTON_IDS: Record<FieldAction, string> = {
  acknowledge: 'field-ack',
  'en-route': 'field-en-route',
  'on-scene': 'field-on-scene',
  complete: 'field-done',
};

/**
 * One task: what, how urgent, where (unit and coordinates; no link to a map service, which would
 * leave the origin), and the four steps. `data-state` is the state the server confirmed; taps
 * not yet confirmed show as "sending…" and move the buttons on at once. The buttons never move,
 * and a tapped step is disabled at once, so a double tap cannot skip a step.
 */
export function TaskCard({
  task,
  current,
  queued,
  unitName,
  onTap,
}: {
  task: TaskView;
  current: boolean;
  queued: readonly OutboxEntry[];
  unitName: string;
  onTap: (taskId: string, action: FieldAction) => void;
}) {
  const { t, tMaybe } = useI18n();
  const [copied, setCopied] = useState(false);
  const expected = expectedState(task.state, queued);
  const coords = `${task.place.lat.toFixed(5)}, ${task.place.lon.toFixed(5)}`;
  const canCopy = typeof navigator.clipboard?.writeText === 'function';


  return (
    <article
      className={`field-task priority-${task.priority}${current ? ' is-current' : ''}`}
      data-testid="field-task"
      data-task-id={task.id}
      data-state={task.state}
      data-pending={queued.length}
      aria-label={t('field.task', { ref: task.id.slice(0, 8) })}
    >
      <header>
        <h3>{tMaybe(`field.type.${task.type}`) ?? task.type}</h3>
        <span className="field-priority">{t(`field.priority.${task.priority}`)}</span>
      </header>
      <p className="field-state" data-testid="field-state">
        <strong>{t(`field.state.${expected}`)}</strong>
        {queued.length > 0 && <span className="field-sending"> · {t('field.sending')}</span>}
      </p>
      <dl className="field-facts">
        <dt>{t('field.unit')}</dt>
        <dd>{unitName}</dd>
        <dt>{t('field.place')}</dt>
        <dd>
          <span className="field-coords">{coords}</span>
          {canCopy && (
            <button
              type="button"
              className="button button-quiet field-copy"
              onClick={() => {
                void navigator.clipboard.writeText(coords).then(() => setCopied(true));
              }}
            >
              {copied ? t('field.copied') : t('field.copy')}
            </button>
          )}
        </dd>
        {task.note && (
          <>
            <dt>{t('field.note')}</dt>
            <dd>{task.note}</dd>
          </>
        )}
      </dl>
      <p className="field-muted">
        {task.state === 'assigned'
          ? t('field.ackBy', { time: formatDateTime(task.acknowledgeBy).slice(0, 16) })
          : t('field.finishBy', { time: formatDateTime(task.finishBy).slice(0, 16) })}
      </p>
      <div className="field-steps" role="group" aria-label={t('field.actions')}>
        {FIELD_ACTIONS.map((action) => {
          const sending = queued.some((e) => e.action === action);
          const passed = isPassed(expected, action);
          return (
            <button
              key={action}
              type="button"
              className={`field-step${passed ? ' is-passed' : ''}${sending ? ' is-sending' : ''}`}
              data-testid={BUTTON_IDS[action]}
              disabled={!canDo(expected, action)}
              aria-label={sending ? t('field.sendingLabel', { action: t(`field.action.${action}`) }) : undefined}
              onClick={() => onTap(task.id, action)}
            >
              <span className="field-step-label">
                {passed && <span aria-hidden="true">✓ </span>}
                {t(`field.action.${action}`)}
              </span>
              {sending && <span className="field-step-sending">{t('field.sending')}</span>}
            </button>
          );
        })}
      </div>
    </article>
  );
}
