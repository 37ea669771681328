import { seedChain } from './support/cases';
import { DISTRICTS } from './support/factories';
import { TestStack } from './support/stack';

const MC = DISTRICTS.mongCai;

interface Node {
  id: string;
  classification: string;
  depth: number;
}
interface Edge {
  source: string;
  contact: string;
  setting: string;
}

describe('tracing graph: F0 -> 12 F1 -> 30 F2 built through the API', () => {
  const stack = new TestStack({ env: { CLUSTER_MIN_SIZE: '5' } });
  let f0: string;
  const f1: string[] = [];
  const f2: string[] = [];
  /** F2 id -> its F1. */
  const parentOf = new Map<string, string>();

  const chain = async (id: string, query: string, user: string = MC.account) =>
    stack.request('GET', `/api/v1/cases/${id}/chain?${query}`, user);

  beforeAll(async () => {
    await stack.start();
    const seeded = await seedChain(stack, MC.account, MC.code);
    f0 = seeded.f0;
    f1.push(...seeded.f1);
    f2.push(...seeded.f2);
    for (const [k, v] of seeded.parentOf) parentOf.set(k, v);
  }, 240_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('down from the F0: 43 nodes, 42 edges, each F2 under its F1', async () => {
    const res = await chain(f0, 'depth=2&direction=down');
    expect(res.status).toBe(200);
    const nodes = res.body.nodes as Node[];
    const edges = res.body.edges as Edge[];
    expect(nodes).toHaveLength(43);
    expect(nodes.filter((n) => n.classification === 'F1').map((n) => n.id).sort()).toEqual([...f1].sort());
    expect(nodes.filter((n) => n.depth === 2).map((n) => n.id).sort()).toEqual([...f2].sort());
    expect(edges).toHaveLength(42);
    for (const id of f2) expect(edges).toContainEqual(expect.objectContaining({ source: parentOf.get(id), contact: id, setting: 'market' }));
    for (const id of f1) expect(edges).toContainEqual(expect.objectContaining({ source: f0, contact: id }));
    // No personal field on any node.
    expect(JSON.stringify(res.body)).not.toMatch(/Người Thử Nghiệm|fullName|phone|nationalId|address/);
    expect(Object.keys(nodes[0]).sort()).toEqual(['classification', 'depth', 'id', 'status', 'unit']);
  });

  it('the depth limit: depth=1 stops at the F1', async () => {
    const res = await chain(f0, 'depth=1&direction=down');
    expect(res.body.nodes).toHaveLength(13);
    expect(res.body.edges).toHaveLength(12);
  });

  it('up from an F2: its F1 then the F0; both directions from an F1: its source and its contacts', async () => {
    const leaf = f2[0];
    const up = await chain(leaf, 'depth=5&direction=up');
    expect((up.body.nodes as Node[]).map((n) => [n.id, n.depth])).toEqual([
      [f0, -2],
      [parentOf.get(leaf), -1],
      [leaf, 0],
    ]);
    expect(up.body.edges).toHaveLength(2);
    const upOne = await chain(leaf, 'depth=1&direction=up');
    expect(upOne.body.nodes).toHaveLength(2);

    const both = await chain(f1[0], 'depth=1&direction=both');
    const ids = (both.body.nodes as Node[]).map((n) => n.id).sort();
    expect(ids).toEqual([f0, f1[0], ...f2.filter((id) => parentOf.get(id) === f1[0])].sort());
    expect(both.body.edges).toHaveLength(4);
  });

  it('the chain refuses bad parameters and another district', async () => {
    expect((await chain(f0, 'depth=0')).status).toBe(400);
    expect((await chain(f0, 'direction=sideways')).status).toBe(400);
    expect((await chain(f0, 'depth=2', DISTRICTS.haLong.account)).status).toBe(404);
  });

  it('one cluster with the F0 as index case, detected once, listed with its units', async () => {
    const res = await stack.request('GET', `/api/v1/clusters?unit=${MC.code}`, MC.account);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ indexCaseId: f0, size: 43, units: [MC.code], f0: 1 })]);
    expect(await stack.count(`SELECT count(*) FROM event_log WHERE type = 'cluster.detected'`)).toBe(1);
    const [{ payload }] = (await stack.db.query(`SELECT payload FROM event_log WHERE type = 'cluster.detected'`)).rows;
    expect(payload).toEqual(expect.objectContaining({ indexCaseId: f0, size: 5, units: [MC.code] }));
    // Another district sees none of it.
    expect((await stack.request('GET', '/api/v1/clusters', DISTRICTS.haLong.account)).body).toEqual([]);
    // The case list filters by cluster.
    const members = await stack.request('GET', `/api/v1/cases?cluster=${res.body[0].id}&limit=1000`, MC.account);
    expect(members.body).toHaveLength(43);
  });
});
