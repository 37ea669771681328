import { describe, expect, it } from '@jest/globals';
import type { ChainResponse } from '@frontline/contracts';
import { layoutChain } from './graph-layout';

/** F0 -> 12 F1 (odd: household, even: workplace) -> 30 F2 (market): 3 each under the first 6 F1, 2 under the others. */
function seededChain(): ChainResponse {
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const nodes: ChainResponse['nodes'] = [
    { id: id(0), classification: 'F0', status: 'admitted', unit: '194', depth: 0 },
  ];
  const edges: ChainResponse['edges'] = [];
  let next = 100;
  for (let i = 0; i < 12; i++) {
    const f1 = id(i + 1);
    nodes.push({ id: f1, classification: 'F1', status: 'quarantined', unit: '194', depth: 1 });
    edges.push({
      source: id(0),
      contact: f1,
      exposureDate: null,
      setting: i % 2 ? 'household' : 'workplace',
    });
    for (let k = 0; k < (i < 6 ? 3 : 2); k++) {
      const f2 = id(next++);
      nodes.push({ id: f2, classification: 'F2', status: 'identified', unit: '194', depth: 2 });
      edges.push({ source: f1, contact: f2, exposureDate: null, setting: 'market' });
    }
  }
  return { root: id(0), nodes, edges, truncated: false };
}

describe('tracing graph layout', () => {
  const chain = seededChain();

  it('ungrouped: every case, sources left and contacts right, each contact linked to its source', () => {
    const layout = layoutChain(chain, { group: false, expanded: new Set() });
    expect(layout.nodes).toHaveLength(43);
    expect(layout.links).toHaveLength(42);
    const x = (c: string) =>
      new Set(layout.nodes.filter((n) => n.classification === c).map((n) => n.x));
    expect(x('F0').size).toBe(1);
    expect([...x('F0')][0]).toBeLessThan([...x('F1')][0]);
    expect([...x('F1')][0]).toBeLessThan([...x('F2')][0]);
    // One row per leaf: the 30 F2.
    expect(
      new Set(layout.nodes.filter((n) => n.classification === 'F2').map((n) => n.y)).size,
    ).toBe(30);
    expect(layout.nodes.find((n) => n.kind === 'case' && n.focus)?.classification).toBe('F0');
  });

  it('grouped: the F1 by setting, their contacts grouped again under each group', () => {
    const layout = layoutChain(chain, { group: true, expanded: new Set() });
    const groups = layout.nodes.filter((n) => n.kind === 'group');
    expect(layout.nodes).toHaveLength(5);
    expect(
      groups
        .map((g) => (g.kind === 'group' ? [g.classification, g.setting, g.members.length] : null))
        .sort(),
    ).toEqual(
      [
        ['F1', 'household', 6],
        ['F1', 'workplace', 6],
        ['F2', 'market', 15],
        ['F2', 'market', 15],
      ].sort(),
    );
  });

  it('a group opens on its own: its cases appear, their few contacts one by one', () => {
    const closed = layoutChain(chain, { group: true, expanded: new Set() });
    const household = closed.nodes.find((n) => n.kind === 'group' && n.setting === 'household')!;
    const open = layoutChain(chain, { group: true, expanded: new Set([household.key]) });
    expect(open.nodes.filter((n) => n.kind === 'case' && n.classification === 'F1')).toHaveLength(
      6,
    );
    // Household F1 have 3 or 2 market contacts each (fewer than 4): shown one by one, 15 of them.
    expect(open.nodes.filter((n) => n.kind === 'case' && n.classification === 'F2')).toHaveLength(
      15,
    );
    expect(open.nodes.filter((n) => n.kind === 'group')).toHaveLength(2); // workplace F1 and their F2
  });

  it('the case asked about and its source are never inside a group', () => {
    const f1 = chain.edges.find((e) => e.setting === 'household')!.contact;
    const layout = layoutChain({ ...chain, root: f1 }, { group: true, expanded: new Set() });
    const focus = layout.nodes.find((n) => n.kind === 'case' && n.focus);
    expect(focus?.kind === 'case' && focus.id).toBe(f1);
    const household = layout.nodes.find((n) => n.kind === 'group' && n.setting === 'household');
    expect(household?.kind === 'group' && household.members).toHaveLength(5);
  });
});
