import { CASE_CLASSIFICATIONS, CASE_STATUSES } from '@frontline/contracts';
import type { CaseSummary } from '@frontline/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { UnitTree } from '../lib/unit-tree';
import { useI18n } from '../i18n/i18n';
import { useRouteLocation } from '../shell/route-location';
import { formatDateTime, formatDayKey } from '../lib/time';
import { CASE_PAGE_SIZE, casesApi, casesKeys } from './cases-api';
import type { CaseFilters } from './cases-api';
import { CasesLink } from './cases-context';
import type { CasesContext } from './cases-context';
import { parseDayMonthYear } from './dates';
import { caseCode, useCaseLabels } from './labels';

const ROW_HEIGHT = 36;
/** Rows drawn above and below the visible ones, so fast scrolling shows no gap. */
const OVERSCAN = 8;
/** The next page is asked for when the view comes this close to the last loaded row. */
const PREFETCH_ROWS = 40;
const FILTER_KEYS = ['classification', 'status', 'unit', 'cluster', 'from', 'to'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filtersFromSearch(search: string): CaseFilters {
  const params = new URLSearchParams(search);
  const out: CaseFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (!value) continue;
    if ((key === 'from' || key === 'to') && !DAY.test(value)) continue;
    out[key] = value;
  }
  return out;
}

export function filtersSearch(filters: CaseFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]!);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The case list of the jurisdiction with its filters (kept in the URL), newest first. Pages of
 * 200 are loaded as the list scrolls (keyset paging) and only the rows in view are drawn, so
 * thousands of cases scroll smoothly. The list carries no names: personal data is read case by
 * case in the detail, where the API decides and audits.
 */
export function CaseList({ ctx, tree }: { ctx: CasesContext; tree: UnitTree | undefined }) {
  const { t, formatNumber } = useI18n();
  const labels = useCaseLabels();
  const router = useRouter();
  const { search } = useRouteLocation();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const update = (patch: Partial<CaseFilters>) => {
    const next = { ...filters, ...patch };
    for (const key of FILTER_KEYS) if (!next[key]) delete next[key];
    void router.navigate({
      href: `/cases${filtersSearch(next)}`,
      replace: true,
      resetScroll: false,
    });
  };

  const list = useInfiniteQuery({
    queryKey: casesKeys.list(ctx.auth.username, filters),
    queryFn: ({ pageParam, signal }) => casesApi.list(ctx.auth.token, filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: CaseSummary[]) =>
      last.length === CASE_PAGE_SIZE ? last[last.length - 1].id : undefined,
  });
  const rows = useMemo(() => list.data?.pages.flat() ?? [], [list.data]);
  const clusters = useQuery({
    queryKey: casesKeys.clusters(ctx.auth.username),
    queryFn: ({ signal }) => casesApi.clusters(ctx.auth.token, signal),
  });

  // The home unit and two levels below it (province: districts; district: communes).
  const unitChoices = useMemo(() => {
    if (!tree) return [];
    const out: { code: string; name: string; depth: number }[] = [];
    const walk = (code: string, depth: number) => {
      out.push({ code, name: tree.name(code), depth });
      if (depth < 2) for (const child of tree.children(code)) walk(child.code, depth + 1);
    };
    walk(tree.home, 0);
    return out;
  }, [tree]);

  // ---- windowing ------------------------------------------------------------------------
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && last >= rows.length - PREFETCH_ROWS)
      void fetchNextPage();
  }, [last, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  useEffect(() => {
    viewport.current?.scrollTo(0, 0);
    setScrollTop(0);
  }, [filters]);

  const select = (
    key: 'classification' | 'status' | 'unit' | 'cluster',
    label: string,
    options: { value: string; label: string }[],
  ) => (
    <label className="cases-field">
      <span>{label}</span>
      <select
        data-testid={`cases-filter-${key}`}
        value={filters[key] ?? ''}
        onChange={(e) => update({ [key]: e.target.value })}
      >
        <option value="">{t('cases.filter.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section
      className="cases-card cases-list"
      aria-labelledby="cases-list-title"
      data-testid="case-list"
    >
      <h2 id="cases-list-title">{t('cases.list.title')}</h2>
      <fieldset className="cases-filters">
        <legend className="visually-hidden">{t('cases.filter.title')}</legend>
        {select(
          'classification',
          t('cases.filter.classification'),
          CASE_CLASSIFICATIONS.map((c) => ({ value: c, label: labels.classification(c) })),
        )}
        {select(
          'status',
          t('cases.filter.status'),
          CASE_STATUSES.map((s) => ({ value: s, label: labels.status(s) })),
        )}
        {select(
          'unit',
          t('cases.filter.unit'),
          unitChoices.map((u) => ({
            value: u.code,
            label: `${'\u00a0\u00a0'.repeat(u.depth)}${u.name}`,
          })),
        )}
        <DayField
          label={t('cases.filter.from')}
          testId="cases-filter-from"
          value={filters.from}
          onChange={(from) => update({ from })}
        />
        <DayField
          label={t('cases.filter.to')}
          testId="cases-filter-to"
          value={filters.to}
          onChange={(to) => update({ to })}
        />
        {select(
          'cluster',
          t('cases.filter.cluster'),
          (clusters.data ?? []).map((c) => ({
            value: c.id,
            label: `${caseCode(c.indexCaseId)} · ${formatNumber(c.size)}`,
          })),
        )}
        <button
          type="button"
          className="button button-quiet"
          data-testid="cases-filter-reset"
          onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}
        >
          {t('cases.filter.reset')}
        </button>
      </fieldset>
      <p className="cases-muted">{t('cases.list.noNames')}</p>
      <div
        className="cases-table"
        role="table"
        aria-rowcount={rows.length + 1}
        aria-labelledby="cases-list-title"
      >
        <div className="cases-row cases-head" role="row">
          {(
            [
              'code',
              'classification',
              'status',
              'unit',
              'created',
              'monitoringEnds',
              'cluster',
            ] as const
          ).map((c) => (
            <span key={c} role="columnheader">
              {t(`cases.col.${c}`)}
            </span>
          ))}
        </div>
        <div
          ref={viewport}
          className="cases-viewport"
          data-testid="case-list-viewport"
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          role="rowgroup"
        >
          <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
            {rows.slice(first, last).map((c, i) => (
              <CasesLink
                key={c.id}
                to={{ view: 'detail', id: c.id }}
                navigate={ctx.navigate}
                className={`cases-row cases-item class-${c.classification}`}
                style={{ transform: `translateY(${(first + i) * ROW_HEIGHT}px)` }}
                data-testid="case-row"
                aria-label={`${caseCode(c.id)} ${labels.classification(c.classification)} ${labels.status(c.status)}`}
              >
                <RowCells c={c} ctx={ctx} />
              </CasesLink>
            ))}
          </div>
        </div>
      </div>
      <p className="cases-muted" role="status" data-testid="case-list-status">
        {list.isPending
          ? t('cases.list.loading')
          : list.isError
            ? t('cases.list.failed')
            : rows.length === 0
              ? t('cases.list.empty')
              : isFetchingNextPage
                ? t('cases.list.loadingMore')
                : t(hasNextPage ? 'cases.list.countMore' : 'cases.list.count', {
                    count: formatNumber(rows.length),
                  })}
      </p>
    </section>
  );
}

function RowCells({ c, ctx }: { c: CaseSummary; ctx: CasesContext }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  return (
    <span className="cases-cells" role="row" data-case-id={c.id}>
      <span role="cell" className="mono">
        {caseCode(c.id)}
      </span>
      <span role="cell">
        <span className={`class-badge class-${c.classification}`}>
          {labels.classification(c.classification)}
        </span>
      </span>
      <span role="cell">{labels.status(c.status)}</span>
      <span role="cell">{ctx.unitName(c.unit)}</span>
      <span role="cell">{formatDateTime(c.createdAt).slice(0, 10)}</span>
      <span role="cell">{formatDayKey(c.monitoringEnds)}</span>
      <span role="cell">{c.clusterId ? t('cases.inCluster') : ''}</span>
    </span>
  );
}

/**
 * A day typed as dd/MM/yyyy (a native date input would follow the browser's locale); the filter
 * changes once the text is a whole day, or is emptied.
 */
function DayField({
  label,
  testId,
  value,
  onChange,
}: {
  label: string;
  testId: string;
  value: string | undefined;
  onChange: (day: string | undefined) => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(value ? formatDayKey(value) : '');
  // Filters cleared elsewhere (the reset button) clear the text too.
  useEffect(() => {
    if (!value) setText('');
  }, [value]);
  const day = parseDayMonthYear(text);
  const invalid = text.trim() !== '' && day === null;
  return (
    <label className="cases-field">
      <span>{label}</span>
      <input
        type="text"
        inputMode="numeric"
        size={10}
        placeholder={t('cases.filter.dayFormat')}
        data-testid={testId}
        value={text}
        aria-invalid={invalid}
        onChange={(e) => {
          setText(e.target.value);
          const next = parseDayMonthYear(e.target.value);
          if (next) onChange(next);
          else if (e.target.value.trim() === '') onChange(undefined);
        }}
      />
    </label>
  );
}
