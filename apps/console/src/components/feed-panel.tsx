import type { EventType, FeedEvent } from '@frontline/contracts';
import { memo, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { eventSummary, eventTypeLabel, severityOf } from '../lib/event-text';
import { formatDateTime, formatRecent } from '../lib/time';
import type { UnitTree } from '../lib/unit-tree';
import { FEED_LIMIT } from '../realtime/feed-state';
import type { FeedItem } from '../realtime/feed-state';

/** A type, every type, or the types without a chip of their own (later modules add types). */
export type FeedFilter = 'all' | 'other' | EventType;
const TYPE_FILTERS: readonly EventType[] = [
  'case.confirmed',
  'contact.identified',
  'test.resulted',
  'report.received',
  'report.acknowledged',
];
export const FEED_FILTERS: readonly FeedFilter[] = ['all', ...TYPE_FILTERS, 'other'];

function matches(filter: FeedFilter, type: string): boolean {
  if (filter === 'all') return true;
  if (filter === 'other') return !(TYPE_FILTERS as readonly string[]).includes(type);
  return type === filter;
}

/** New critical events are highlighted for this long after they arrive (the only motion). */
const NEW_FOR_MS = 6_000;
/**
 * Rows drawn at first, and added by each "show more": a live batch re-renders only these (the
 * feed keeps up to FEED_LIMIT events for the filters and counts). A little more than a 4K desk
 * shows: under a stream every batch inserts rows at the top, and each drawn row is laid out
 * again (at 100 events/s, 50 rows cost 20-90 ms of layout a batch on a 2-core machine).
 */
export const FEED_ROWS_STEP = 25;
/** How many unacknowledged urgent reports are listed above the feed (the rest are counted). */
const UNACKED_SHOWN = 3;

interface Props {
  items: readonly FeedItem[];
  loaded: boolean;
  units: UnitTree | undefined;
  filter: FeedFilter;
  onFilter: (filter: FeedFilter) => void;
  unacknowledged: readonly FeedEvent[];
  selectedId: string | null;
  onSelect: (event: FeedEvent) => void;
  onAcknowledge: (id: string) => void;
  acknowledging: ReadonlySet<string>;
}

export function FeedPanel(props: Props) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { items, filter } = props;

  const counts = useMemo(() => {
    const byFilter = new Map<FeedFilter, number>();
    for (const { event } of items) {
      for (const value of FEED_FILTERS) {
        if (value !== 'all' && matches(value, event.type)) {
          byFilter.set(value, (byFilter.get(value) ?? 0) + 1);
        }
      }
    }
    return byFilter;
  }, [items]);
  const shown = useMemo(
    () => (filter === 'all' ? items : items.filter((item) => matches(filter, item.event.type))),
    [items, filter],
  );
  const filters = FEED_FILTERS.filter(
    (value) => value !== 'other' || (counts.get('other') ?? 0) > 0 || filter === 'other',
  );
  const unackedIds = useMemo(
    () => new Set(props.unacknowledged.map((event) => event.id)),
    [props.unacknowledged],
  );
  const [rows, setRows] = useState(FEED_ROWS_STEP);
  const drawn = shown.length > rows ? shown.slice(0, rows) : shown;

  return (
    <section className="feed" id="feed" tabIndex={-1} aria-labelledby="feed-title">
      <UnackedStrip {...props} />
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
        {filters.map((value) => (
          <button
            key={value}
            type="button"
            className="chip"
            aria-pressed={filter === value}
            data-testid={`feed-filter-${value}`}
            onClick={() => props.onFilter(value)}
          >
            {i18n.tMaybe(`filter.${value}`) ?? eventTypeLabel(i18n, value)}
            <span className="chip-count">
              {formatNumber(value === 'all' ? items.length : (counts.get(value) ?? 0))}
            </span>
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="feed-empty" data-testid="feed-empty">
          {!props.loaded
            ? t('feed.loading')
            : filter === 'all'
              ? t('feed.empty')
              : t('feed.emptyFiltered')}
        </p>
      ) : (
        <ol className="feed-list" data-testid="feed-list" aria-labelledby="feed-title">
          {drawn.map((item) => (
            <FeedRow
              key={item.event.id}
              item={item}
              units={props.units}
              unacked={unackedIds.has(item.event.id)}
              selected={props.selectedId === item.event.id}
              onSelect={props.onSelect}
            />
          ))}
        </ol>
      )}
      {shown.length > drawn.length && (
        <button
          type="button"
          className="button feed-more"
          data-testid="feed-more"
          onClick={() => setRows((n) => n + FEED_ROWS_STEP)}
        >
          {t('feed.showMore', { count: formatNumber(shown.length - drawn.length) })}
        </button>
      )}
    </section>
  );
}

/** Urgent reports waiting for someone to acknowledge them: always above the feed. */
function UnackedStrip({ unacknowledged, units, onSelect, onAcknowledge, acknowledging }: Props) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  if (unacknowledged.length === 0) return null;
  return (
    <section
      className="unacked"
      aria-labelledby="unacked-title"
      data-testid="unacked"
      data-count={unacknowledged.length}
    >
      <h2 id="unacked-title" className="unacked-title">
        <span className="sev-mark" aria-hidden="true" />
        {t('feed.unackedTitle')}
        <span className="unacked-count">{formatNumber(unacknowledged.length)}</span>
      </h2>
      <ul className="unacked-list">
        {unacknowledged.slice(0, UNACKED_SHOWN).map((event) => {
          const what = `${eventTypeLabel(i18n, event.type)} · ${units?.name(event.unit) ?? event.unit}`;
          return (
            <li
              key={event.id}
              className="unacked-item"
              data-testid="unacked-item"
              data-event-id={event.id}
            >
              <button
                type="button"
                className="unacked-open"
                aria-label={t('feed.openLabel', { what })}
                onClick={() => onSelect(event)}
              >
                <span className="unacked-what">
                  {eventSummary(i18n, event) || eventTypeLabel(i18n, event.type)}
                </span>
                <span className="unacked-where">
                  {units?.name(event.unit) ?? event.unit} · {formatRecent(event.occurredAt)}
                </span>
              </button>
              <button
                type="button"
                className="button button-ack"
                data-testid="acknowledge"
                disabled={acknowledging.has(event.id)}
                onClick={() => onAcknowledge(event.id)}
              >
                {t('feed.acknowledge')}
              </button>
            </li>
          );
        })}
      </ul>
      {unacknowledged.length > UNACKED_SHOWN && (
        <p className="unacked-more">
          {t('feed.unackedMore', { count: formatNumber(unacknowledged.length - UNACKED_SHOWN) })}
        </p>
      )}
    </section>
  );
}

interface RowProps {
  item: FeedItem;
  units: UnitTree | undefined;
  unacked: boolean;
  selected: boolean;
  onSelect: (event: FeedEvent) => void;
}

const FeedRow = memo(function FeedRow({ item, units, unacked, selected, onSelect }: RowProps) {
  const i18n = useI18n();
  const { event, receivedAt } = item;
  const severity = severityOf(event.type);
  const drill = event.drill === true;
  const fresh =
    severity === 'critical' && receivedAt !== null && Date.now() - receivedAt < NEW_FOR_MS;
  const summary = eventSummary(i18n, event);
  const unitName = units?.name(event.unit) ?? event.unit;
  const path = (event.unitPath ?? []).map((code) => units?.name(code) ?? code).join(' › ');

  const classes = ['feed-item', `sev-${severity}`];
  if (drill) classes.push('is-drill');
  if (fresh) classes.push('is-new');
  if (unacked) classes.push('is-unacked');
  if (selected) classes.push('is-selected');

  return (
    <li
      className={classes.join(' ')}
      data-testid="feed-item"
      data-event-id={event.id}
      data-type={event.type}
      data-severity={severity}
      data-drill={drill}
      data-unacked={unacked}
    >
      <button
        type="button"
        className="feed-open"
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(event)}
      >
        <span className="sev-mark" aria-hidden="true" />
        <span className="feed-body">
          <span className="feed-line">
            <span className="feed-type">{eventTypeLabel(i18n, event.type)}</span>
            {drill && (
              <span className="drill-tag" data-testid="drill-tag">
                {i18n.t('feed.drill')}
              </span>
            )}
            {unacked && (
              <span className="unacked-tag" data-testid="unacked-tag">
                {i18n.t('feed.unacked')}
              </span>
            )}
            <time className="feed-time" dateTime={event.occurredAt}>
              {formatDateTime(event.occurredAt)}
            </time>
          </span>
          <span className="feed-line feed-detail">
            <span className="feed-unit" title={path || undefined}>
              {unitName}
            </span>
            {summary && <span className="feed-summary">{summary}</span>}
          </span>
        </span>
        <span className="visually-hidden">{i18n.t(`severity.${severity}`)}</span>
      </button>
    </li>
  );
});
