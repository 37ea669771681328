import type { FeedEvent } from '@frontline/contracts';
import { useState } from 'react';
import { useEventDetail } from '../api/queries';
import type { Auth } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import type { I18n } from '../i18n/i18n';
import { eventTypeLabel, severityOf } from '../lib/event-text';
import { formatDateTime } from '../lib/time';
import type { UnitTree } from '../lib/unit-tree';
import { isUrgentReport } from '../realtime/feed-state';

interface Props {
  auth: Auth;
  id: string;
  /** What the feed already knows about the event (shown while the details load). */
  known: FeedEvent | null;
  units: UnitTree | undefined;
  /** True while the report is in the live list of unacknowledged urgent reports. */
  unacked: boolean;
  acknowledging: boolean;
  ackFailed: boolean;
  onAcknowledge: (id: string, note?: string) => void;
  onFlyTo: (event: FeedEvent) => void;
  onClose: () => void;
}

/** A payload value in words: enum labels, yes/no, dates; raw text otherwise. */
function fieldValue(i18n: I18n, key: string, value: unknown): string {
  if (typeof value === 'boolean') return i18n.t(value ? 'value.true' : 'value.false');
  if (typeof value === 'number') return i18n.formatNumber(value);
  if (typeof value !== 'string') return JSON.stringify(value);
  const group: Record<string, string> = {
    source: 'source',
    method: 'method',
    result: 'result',
    setting: 'setting',
    channel: 'channel',
    category: 'category',
    sex: 'sex',
  };
  const labelGroup = group[key];
  return (labelGroup && i18n.tMaybe(`${labelGroup}.${value}`)) || value;
}

function Fields({ values }: { values: Record<string, unknown> }) {
  const i18n = useI18n();
  const entries = Object.entries(values).filter(
    ([, v]) => v !== undefined && v !== null && v !== '',
  );
  return (
    <dl className="detail-fields">
      {entries.map(([key, value]) => (
        <div key={key} className="detail-field">
          <dt>{i18n.tMaybe(`field.${key}`) ?? key}</dt>
          <dd>{fieldValue(i18n, key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The selected event: non-personal fields always, personal ones only when granted (logged). */
export function EventDetail(props: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useEventDetail(props.auth, props.id);
  const [note, setNote] = useState('');
  const event = detail.data?.event ?? props.known;
  const severity = event ? severityOf(event.type) : 'info';
  const isReport = event?.type === 'report.received';
  const ack = detail.data?.acknowledgement ?? null;
  const canAcknowledge = event !== null && isUrgentReport(event) && props.unacked;

  return (
    <section
      className={`detail sev-${severity}`}
      aria-labelledby="detail-title"
      data-testid="event-detail"
      data-event-id={props.id}
    >
      <div className="detail-head">
        <h2 id="detail-title" className="panel-title">
          {event ? eventTypeLabel(i18n, event.type) : t('detail.title')}
        </h2>
        {event?.drill && <span className="drill-tag">{t('feed.drill')}</span>}
        <span className={`severity-tag sev-${severity}`}>{t(`severity.${severity}`)}</span>
        <button
          type="button"
          className="button button-quiet detail-close"
          data-testid="detail-close"
          onClick={props.onClose}
        >
          {t('detail.close')}
        </button>
      </div>
      <div className="detail-body">
        {detail.isPending && <p className="detail-note">{t('detail.loading')}</p>}
        {detail.isError && (
          <p className="detail-note is-error" role="alert">
            {t('detail.error')}{' '}
            <button type="button" className="link-button" onClick={() => void detail.refetch()}>
              {t('detail.retry')}
            </button>
          </p>
        )}
        {event && (
          <>
            <dl className="detail-fields">
              <div className="detail-field">
                <dt>{t('detail.time')}</dt>
                <dd>{formatDateTime(event.occurredAt)}</dd>
              </div>
              <div className="detail-field">
                <dt>{t('detail.unit')}</dt>
                <dd>
                  {(event.unitPath ?? [event.unit])
                    .map((code) => props.units?.name(code) ?? code)
                    .join(' › ')}
                </dd>
              </div>
              <div className="detail-field">
                <dt>{t('detail.location')}</dt>
                <dd>
                  {event.location ? (
                    <>
                      {event.location.lat.toFixed(3)}, {event.location.lon.toFixed(3)}{' '}
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => props.onFlyTo(event)}
                      >
                        {t('detail.flyTo')}
                      </button>
                    </>
                  ) : (
                    t('detail.noLocation')
                  )}
                </dd>
              </div>
            </dl>
            <h3 className="detail-subtitle">{t('detail.fields')}</h3>
            <Fields values={event.payload} />
          </>
        )}

        {isReport && (
          <div className="detail-ack" data-testid="detail-ack" data-acknowledged={!props.unacked}>
            {ack ? (
              <p className="detail-note">
                {t('detail.ackedAt', { time: formatDateTime(ack.at), by: ack.by })}
              </p>
            ) : props.unacked ? (
              <p className="detail-note is-urgent">{t('detail.notAcked')}</p>
            ) : null}
            {canAcknowledge && (
              <form
                className="ack-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  props.onAcknowledge(props.id, note.trim() || undefined);
                }}
              >
                <label className="field">
                  <span className="field-label">{t('detail.note')}</span>
                  <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
                </label>
                <button
                  type="submit"
                  className="button button-primary"
                  data-testid="detail-acknowledge"
                  disabled={props.acknowledging}
                >
                  {props.acknowledging ? t('detail.acknowledging') : t('detail.acknowledge')}
                </button>
                {props.ackFailed && (
                  <p className="detail-note is-error" role="alert">
                    {t('detail.ackFailed')}
                  </p>
                )}
              </form>
            )}
          </div>
        )}

        {detail.data?.personalAccess === 'granted' && detail.data.personal && (
          <div className="detail-personal" data-testid="detail-personal">
            <h3 className="detail-subtitle">{t('detail.personal')}</h3>
            <Fields values={detail.data.personal} />
            <p className="detail-note personal-logged" data-testid="personal-logged">
              {t('detail.personalLogged')}
            </p>
          </div>
        )}
        {detail.data?.personalAccess === 'not-allowed' && (
          <p className="detail-note" data-testid="personal-not-allowed">
            {t('detail.personalNotAllowed')}
          </p>
        )}
        <p className="detail-id">
          {t('detail.id')}: <code>{props.id}</code>
        </p>
      </div>
    </section>
  );
}
