import { describe, expect, it } from '@jest/globals';
import { casesHref, isCasesPath, parseCasesRoute } from './case-routes';

const ID = '0b9f3f5e-2f1d-4c7a-9a4b-1f2e3d4c5b6a';

describe('cases routes', () => {
  it('recognises the screen and its views', () => {
    expect(isCasesPath('/cases')).toBe(true);
    expect(isCasesPath('/cases/')).toBe(true);
    expect(isCasesPath(`/cases/${ID}/graph`)).toBe(true);
    expect(isCasesPath('/casesx')).toBe(false);
    expect(isCasesPath('/roster')).toBe(false);
    expect(parseCasesRoute('/cases', '')).toEqual({ view: 'list' });
    expect(parseCasesRoute('/cases/clusters', '')).toEqual({ view: 'clusters' });
    expect(parseCasesRoute(`/cases/${ID.toUpperCase()}`, '')).toEqual({ view: 'detail', id: ID });
    expect(parseCasesRoute('/cases/not-an-id', '')).toEqual({ view: 'list' });
  });

  it('reads the graph depth and direction, falling back to safe values', () => {
    expect(parseCasesRoute(`/cases/${ID}/graph`, '?depth=4&direction=down')).toEqual({
      view: 'graph',
      id: ID,
      depth: 4,
      direction: 'down',
    });
    expect(parseCasesRoute(`/cases/${ID}/graph`, '?depth=99&direction=sideways')).toEqual({
      view: 'graph',
      id: ID,
      depth: 2,
      direction: 'both',
    });
  });

  it('builds the paths back', () => {
    const graph = { view: 'graph', id: ID, depth: 3, direction: 'up' } as const;
    expect(casesHref(graph)).toBe(`/cases/${ID}/graph?depth=3&direction=up`);
    expect(parseCasesRoute(`/cases/${ID}/graph`, '?depth=3&direction=up')).toEqual(graph);
  });
});
