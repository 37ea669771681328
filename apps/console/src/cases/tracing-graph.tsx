import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { casesApi, casesKeys } from './cases-api';
import type { ChainDirection } from './cases-api';
import { CasesLink } from './cases-context';
import type { CasesContext } from './cases-context';
import type { CasesRoute } from './case-routes';
import { layoutChain, NODE_HEIGHT, NODE_WIDTH } from './graph-layout';
import type { VisualNode } from './graph-layout';
import { caseCode, useCaseLabels } from './labels';

type GraphRoute = Extract<CasesRoute, { view: 'graph' }>;
const DEPTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const DIRECTIONS: ChainDirection[] = ['both', 'down', 'up'];

/**
 * The tracing graph around a case (GET /cases/:id/chain): depth and direction chosen here, drawn
 * as SVG in layers (sources left, F1, F2 right). Contacts sharing a setting collapse into one
 * group node ("Hộ gia đình · 37") that opens on click, so clusters of thousands stay readable.
 */
export function TracingGraphView({ ctx, route }: { ctx: CasesContext; route: GraphRoute }) {
  const { t } = useI18n();
  const labels = useCaseLabels();
  const { id, depth, direction } = route;
  const chain = useQuery({
    queryKey: casesKeys.chain(ctx.auth.username, id, depth, direction),
    queryFn: ({ signal }) => casesApi.chain(ctx.auth.token, id, depth, direction, signal),
  });
  const [group, setGroup] = useState(true);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const layout = useMemo(
    () => (chain.data ? layoutChain(chain.data, { group, expanded }) : null),
    [chain.data, group, expanded],
  );
  const byKey = useMemo(() => new Map(layout?.nodes.map((n) => [n.key, n]) ?? []), [layout]);

  const go = (patch: Partial<GraphRoute>) => ctx.navigate({ ...route, ...patch });
  const toggle = (key: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const activate = (node: VisualNode) => {
    if (node.kind === 'group') toggle(node.key);
    else if (!node.focus) ctx.navigate({ view: 'detail', id: node.id });
  };
  const onKey = (event: KeyboardEvent, node: VisualNode) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(node);
    }
  };

  return (
    <section
      className="cases-card tracing"
      aria-labelledby="graph-title"
      data-testid="tracing-graph-view"
    >
      <header className="case-detail-head">
        <h2 id="graph-title">{t('cases.graph.title', { code: caseCode(id) })}</h2>
        <CasesLink
          to={{ view: 'detail', id }}
          navigate={ctx.navigate}
          className="button button-quiet"
        >
          {t('cases.graph.backToCase', { code: caseCode(id) })}
        </CasesLink>
      </header>
      <div className="cases-filters">
        <label className="cases-field">
          <span>{t('cases.graph.depth')}</span>
          <select
            data-testid="graph-depth"
            value={depth}
            onChange={(e) => go({ depth: Number(e.target.value) })}
          >
            {DEPTHS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label className="cases-field">
          <span>{t('cases.graph.direction')}</span>
          <select
            data-testid="graph-direction"
            value={direction}
            onChange={(e) => go({ direction: e.target.value as ChainDirection })}
          >
            {DIRECTIONS.map((d) => (
              <option key={d} value={d}>
                {t(`cases.graph.dir.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="cases-check">
          <input
            type="checkbox"
            data-testid="graph-group-toggle"
            checked={group}
            onChange={(e) => setGroup(e.target.checked)}
          />
          {t('cases.graph.group')}
        </label>
        <button
          type="button"
          className="button button-quiet"
          data-testid="graph-collapse-all"
          disabled={!group || expanded.size === 0}
          onClick={() => setExpanded(new Set())}
        >
          {t('cases.graph.collapseAll')}
        </button>
      </div>
      {chain.isPending && <p className="cases-muted">{t('cases.graph.loading')}</p>}
      {chain.isError && <p role="alert">{t('cases.graph.failed')}</p>}
      {chain.data && layout && (
        <>
          <p className="cases-muted" data-testid="graph-summary">
            {t('cases.graph.summary', {
              nodes: chain.data.nodes.length,
              edges: chain.data.edges.length,
            })}{' '}
            · {t('cases.graph.legend')}
          </p>
          {chain.data.truncated && <p className="cases-muted">{t('cases.graph.truncated')}</p>}
          <div className="graph-scroll">
            <svg
              data-testid="tracing-graph"
              role="group"
              aria-label={t('cases.graph.label')}
              width={layout.width}
              height={layout.height}
              viewBox={`0 0 ${layout.width} ${layout.height}`}
            >
              {layout.links.map((link) => {
                const a = byKey.get(link.from);
                const b = byKey.get(link.to);
                if (!a || !b) return null;
                const x1 = a.x + NODE_WIDTH / 2;
                const x2 = b.x - NODE_WIDTH / 2;
                const mid = (x1 + x2) / 2;
                return (
                  <path
                    key={`${link.from}-${link.to}`}
                    className="graph-link"
                    d={`M${x1},${a.y} C${mid},${a.y} ${mid},${b.y} ${x2},${b.y}`}
                  />
                );
              })}
              {layout.nodes.map((node) => (
                <g
                  key={node.key}
                  transform={`translate(${node.x - NODE_WIDTH / 2},${node.y - NODE_HEIGHT / 2})`}
                  className={`graph-node class-${node.classification}${node.kind === 'group' ? ' is-group' : ''}${node.kind === 'case' && node.focus ? ' is-focus' : ''}`}
                  role="button"
                  tabIndex={0}
                  onClick={() => activate(node)}
                  onKeyDown={(e) => onKey(e, node)}
                  {...(node.kind === 'group'
                    ? {
                        'data-testid': 'graph-group',
                        'data-setting': node.setting,
                        'data-count': node.members.length,
                        'data-classification': node.classification,
                        'aria-label': `${t('cases.graph.groupLabel', { setting: labels.setting(node.setting), count: node.members.length })}. ${t('cases.graph.groupHint', { classification: labels.classification(node.classification) })}`,
                      }
                    : {
                        'data-testid': 'graph-node',
                        'data-case-id': node.id,
                        'data-classification': node.classification,
                        'data-focus': node.focus ? 'true' : 'false',
                        'aria-label': `${caseCode(node.id)} ${labels.classification(node.classification)} ${labels.status(node.status)}`,
                      })}
                >
                  <rect
                    width={NODE_WIDTH}
                    height={NODE_HEIGHT}
                    rx={node.kind === 'group' ? 17 : 5}
                  />
                  <text x={10} y={NODE_HEIGHT / 2 + 5}>
                    {node.kind === 'group'
                      ? `${labels.classification(node.classification)} · ${t('cases.graph.groupLabel', { setting: labels.setting(node.setting), count: node.members.length })}`
                      : `${labels.classification(node.classification)} · ${caseCode(node.id)}`}
                  </text>
                </g>
              ))}
            </svg>
          </div>
        </>
      )}
    </section>
  );
}
