import type { ChainResponse } from '@frontline/contracts';

/**
 * A layered layout of the tracing graph around a case: one column per hop (sources left, the
 * case, its F1 then F2 to the right), children below their parent in a tidy tree (leaves one row
 * each, a parent in the middle of its children). The graph is a forest (one source per contact),
 * so no crossing edges.
 *
 * Clusters of thousands stay readable by collapsing contacts into groups: the contacts of a case
 * that share an exposure setting (household, workplace, market…) become one node "Household · 37"
 * when there are at least `groupMin` of them; the contacts of a group's members are grouped again
 * under it. The case asked about and its sources are never hidden in a group. A group expands
 * when its key is in `expanded`.
 */
export type ChainNode = ChainResponse['nodes'][number];

interface Base {
  key: string;
  depth: number;
  classification: ChainNode['classification'];
  /** Position of the node's centre, in layout units (pixels of the SVG). */
  x: number;
  y: number;
}
export interface CaseVisual extends Base {
  kind: 'case';
  id: string;
  status: ChainNode['status'];
  unit: string;
  focus: boolean;
}
export interface GroupVisual extends Base {
  kind: 'group';
  setting: string;
  members: string[];
}
export type VisualNode = CaseVisual | GroupVisual;

export interface VisualLink {
  from: string;
  to: string;
  setting: string;
}

export interface GraphLayout {
  nodes: VisualNode[];
  links: VisualLink[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** Collapse contacts sharing a setting into groups. */
  group: boolean;
  /** Keys of groups the user opened. */
  expanded: ReadonlySet<string>;
  /** Fewest contacts of one case and setting that make a group. */
  groupMin?: number;
}

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 34;
const COLUMN_GAP = 90;
const ROW_HEIGHT = 46;
const PAD = 16;
const UNKNOWN_SETTING = 'other';

interface Draft {
  node: Omit<CaseVisual, 'x' | 'y'> | Omit<GroupVisual, 'x' | 'y'>;
  children: Draft[];
  setting: string;
}

export function layoutChain(chain: ChainResponse, options: LayoutOptions): GraphLayout {
  const groupMin = Math.max(2, options.groupMin ?? 4);
  const byId = new Map(chain.nodes.map((n) => [n.id, n]));
  const contactsOf = new Map<string, { id: string; setting: string }[]>();
  const parentOf = new Map<string, string>();
  for (const e of chain.edges) {
    if (!byId.has(e.source) || !byId.has(e.contact)) continue;
    const list = contactsOf.get(e.source) ?? [];
    list.push({ id: e.contact, setting: e.setting ?? UNKNOWN_SETTING });
    contactsOf.set(e.source, list);
    parentOf.set(e.contact, e.source);
  }
  // The case asked about and its sources stay visible whatever is grouped.
  const pinned = new Set<string>();
  for (let id: string | undefined = chain.root; id && !pinned.has(id); id = parentOf.get(id))
    pinned.add(id);

  const caseDraft = (id: string, setting: string): Draft => {
    const n = byId.get(id)!;
    return {
      node: {
        kind: 'case',
        key: id,
        id,
        depth: n.depth,
        classification: n.classification,
        status: n.status,
        unit: n.unit,
        focus: id === chain.root,
      },
      setting,
      children: contactsBelow(id, contactsOf.get(id) ?? [], false),
    };
  };

  /** The contacts under a node: by setting, each setting a group or the cases one by one. */
  function contactsBelow(
    parentKey: string,
    contacts: { id: string; setting: string }[],
    underGroup: boolean,
  ): Draft[] {
    const bySetting = new Map<string, string[]>();
    for (const c of contacts) {
      const list = bySetting.get(c.setting) ?? [];
      list.push(c.id);
      bySetting.set(c.setting, list);
    }
    const out: Draft[] = [];
    for (const [setting, ids] of bySetting) {
      const key = `${parentKey}>${setting}`;
      const free = ids.filter((id) => !pinned.has(id));
      for (const id of ids) if (pinned.has(id)) out.push(caseDraft(id, setting));
      const collapse =
        options.group && !options.expanded.has(key) && free.length >= (underGroup ? 2 : groupMin);
      if (!collapse) {
        for (const id of free) out.push(caseDraft(id, setting));
        continue;
      }
      const first = byId.get(free[0])!;
      out.push({
        node: {
          kind: 'group',
          key,
          depth: first.depth,
          classification: mostCommon(free.map((id) => byId.get(id)!.classification)),
          setting,
          members: free,
        },
        setting,
        children: contactsBelow(
          key,
          free.flatMap((id) => contactsOf.get(id) ?? []),
          true,
        ),
      });
    }
    return out;
  }

  // Roots: nodes whose source is not in view (the top source; or cut off by the jurisdiction).
  const roots = chain.nodes
    .filter((n) => !parentOf.has(n.id))
    .map((n) => caseDraft(n.id, UNKNOWN_SETTING));
  const minDepth = Math.min(0, ...chain.nodes.map((n) => n.depth));

  const nodes: VisualNode[] = [];
  const links: VisualLink[] = [];
  let nextRow = 0;
  let maxColumn = 0;
  /** Places a draft and its subtree; returns the row of its centre. */
  const place = (draft: Draft, parentKey: string | null): number => {
    const rows = draft.children.map((child) => place(child, draft.node.key));
    const row = rows.length ? (rows[0] + rows[rows.length - 1]) / 2 : nextRow++;
    const column = draft.node.depth - minDepth;
    maxColumn = Math.max(maxColumn, column);
    nodes.push({
      ...draft.node,
      x: PAD + column * (NODE_WIDTH + COLUMN_GAP) + NODE_WIDTH / 2,
      y: PAD + row * ROW_HEIGHT + NODE_HEIGHT / 2,
    } as VisualNode);
    if (parentKey) links.push({ from: parentKey, to: draft.node.key, setting: draft.setting });
    return row;
  };
  for (const root of roots) place(root, null);
  // Parents first in the list, so they are drawn (and tabbed to) before their contacts.
  nodes.sort((a, b) => a.depth - b.depth || a.y - b.y);
  return {
    nodes,
    links,
    width: PAD * 2 + (maxColumn + 1) * NODE_WIDTH + maxColumn * COLUMN_GAP,
    height: PAD * 2 + Math.max(1, nextRow) * ROW_HEIGHT,
  };
}

function mostCommon<T>(values: T[]): T {
  const counts = new Map<T, number>();
  let best = values[0];
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > (counts.get(best) ?? 0)) best = v;
  }
  return best;
}
