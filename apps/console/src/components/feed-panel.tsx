import { EVENT_TYPES } from '@frontline/contracts';
import type { EventType, UnitSummary } from '@frontline/contracts';
import { memo, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { eventSummary, eventTypeLabel, severityOf } from '../lib/event-text';
import { formatDateTime } from '../lib/time';
import { FEED_LIMIT } from '../realtime/feed-state';
import type { FeedItem } from '../realtime/feed-state';

type Filter = 'all' | EventType;
const FILTERS: readonly Filter[] = ['all', ...EVENT_TYPES];

/** New critical events are highlighted for this long after they arrive (the only motion). */
const NEW_FOR_MS = 6_000;

type Units = ReadonlyMap<string, UnitSummary> | undefined;

interface Props {
  items: readonly FeedItem[];
  loaded: boolean;
  units: Units;
}

export function FeedPanel({ items, loaded, units }: Props) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('all');

  const counts = useMemo(() => {
    const byType = new Map<string, number>();
    for (const { event } of items) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
    return byType;
  }, [items]);
  const shown = useMemo(
    () => (filter === 'all' ? items : items.filter((item) => item.event.type === filter)),
    [items, filter],
  );

  return (
    <section className="feed" id="feed" tabIndex={-1} aria-labelledby="feed-title">
      <div className="feed-head">
        <h2 id="feed-title" className="panel-title">
          {t('feed.title')}
        </h2>
        <span className="feed-count" data-testid="feed-count">
          {t('feed.count', { shown: shown.length, total: items.length, max: FEED_LIMIT })}
        </span>
      </div>
      <div
        className="filters"
        role="group"
        aria-label={t('feed.filterLabel')}
        data-testid="feed-filter"
      >
        {FILTERS.map((value) => (
          <button
            key={value}
            type="button"
            className="chip"
            aria-pressed={filter === value}
            data-testid={`feed-filter-${value}`}
            onClick={() => setFilter(value)}
          >
            {t(`filter.${value}`)}
            <span className="chip-count">
              {value === 'all' ? items.length : (counts.get(value) ?? 0)}
            </span>
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="feed-empty" data-testid="feed-empty">
          {!loaded
            ? t('feed.loading')
            : filter === 'all'
              ? t('feed.empty')
              : t('feed.emptyFiltered')}
        </p>
      ) : (
        <ol className="feed-list" data-testid="feed-list" tabIndex={0} aria-labelledby="feed-title">
          {shown.map((item) => (
            <FeedRow key={item.event.id} item={item} units={units} />
          ))}
        </ol>
      )}
    </section>
  );
}

function unitName(units: Units, code: string): string {
  return units?.get(code)?.name ?? code;
}

const FeedRow = memo(function FeedRow({ item, units }: { item: FeedItem; units: Units }) {
  const i18n = useI18n();
  const { event, receivedAt } = item;
  const severity = severityOf(event.type);
  const drill = event.drill === true;
  const fresh =
    severity === 'critical' && receivedAt !== null && Date.now() - receivedAt < NEW_FOR_MS;
  const summary = eventSummary(i18n, event);
  const path = (event.unitPath ?? []).map((code) => unitName(units, code)).join(' › ');

  const classes = ['feed-item', `sev-${severity}`];
  if (drill) classes.push('is-drill');
  if (fresh) classes.push('is-new');

  return (
    <li
      className={classes.join(' ')}
      data-testid="feed-item"
      data-event-id={event.id}
      data-type={event.type}
      data-severity={severity}
      data-drill={drill}
    >
      <span className="sev-mark" aria-hidden="true" />
      <div className="feed-body">
        <div className="feed-line">
          <span className="feed-type">{eventTypeLabel(i18n, event.type)}</span>
          {drill && (
            <span className="drill-tag" data-testid="drill-tag">
              {i18n.t('feed.drill')}
            </span>
          )}
          <time className="feed-time" dateTime={event.occurredAt}>
            {formatDateTime(event.occurredAt)}
          </time>
        </div>
        <div className="feed-line feed-detail">
          <span className="feed-unit" title={path || undefined}>
            {unitName(units, event.unit)}
          </span>
          {summary && <span className="feed-summary">{summary}</span>}
        </div>
      </div>
      <span className="visually-hidden">{i18n.t(`severity.${severity}`)}</span>
    </li>
  );
});
