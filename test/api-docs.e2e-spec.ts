import { execFile } from 'node:child_process';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { InProcessApi } from './support/in-process';
import { TestStack } from './support/stack';

type Operation = {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
  'x-frontline-policy': string | null;
  description: string;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

/**
 * `@apidevtools/swagger-parser`'s verdict on a document. It loads ES modules, which Jest's
 * CommonJS runtime cannot: it runs in a node process of its own.
 */
function validateOpenApi(doc: unknown): Promise<string> {
  const script = `let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () =>
    require('@apidevtools/swagger-parser').validate(JSON.parse(s)).then(() => console.log('valid'), (e) => console.log(e.message)));`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
    child.stdin!.end(JSON.stringify(doc));
  });
}

/** `GET /api/docs.json` (and the page `/api/docs`): the OpenAPI document of every route of the api. */
describe('the OpenAPI document', () => {
  const stack = new TestStack();
  let doc: Doc;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  beforeAll(async () => {
    await stack.start();
    const res = await fetch(`${stack.apiUrl}/api/docs.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  }, 90_000);
  afterAll(() => stack.stop());

  it('is a valid OpenAPI 3 document', async () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(await validateOpenApi(doc)).toBe('valid');
  });

  it('lists exactly the routes the running api serves', () => {
    // Nest's route table as Express holds it (the console's static files are middleware, not routes).
    const app = (stack.apis[0] as InProcessApi).application as NestExpressApplication;
    const router = app.getHttpAdapter().getInstance().router as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    const served = router.stack.flatMap(({ route }) =>
      route ? Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`) : [],
    );
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(served.length).toBeGreaterThan(90);
    expect([...documented].sort()).toEqual([...new Set(served)].sort());
  });

  it('says who may call each route: bearer token and a policy, or public', () => {
    for (const { path, method, op } of operations()) {
      const where = `${method} ${path}`;
      if (op.security?.length === 0) {
        expect([where, op['x-frontline-policy']]).toEqual([where, 'public']);
        expect([where, op.responses['401']]).toEqual([where, undefined]);
      } else {
        expect([where, op['x-frontline-policy']]).toEqual([where, expect.stringMatching(/^[a-z-]+\.[a-z-]+$/)]);
        expect([where, Object.keys(op.responses)]).toEqual([where, expect.arrayContaining(['401', '403'])]);
      }
      // Every segment of the path template is a declared path parameter.
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect([where, declared]).toEqual([where, templated]);
    }
    const lift = doc.paths['/api/v1/zones/lockdowns/{id}/lift'].post;
    expect(lift['x-frontline-policy']).toBe('zones.decide');
    expect(lift.description).toContain('`commander` (subtree), `admin` (subtree)');
  });

  it('describes parameters and bodies from the zod schemas, and the errors a client meets', async () => {
    const trend = doc.paths['/api/v1/trend'].get;
    const days = trend.parameters!.find((p) => p.name === 'days')!;
    expect(days).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', maximum: 60, default: 14 } });
    expect(trend.parameters!.find((p) => p.name === 'unit')).toMatchObject({ in: 'query', required: false });
    const feeds = doc.paths['/api/v1/calendar/feeds'].get;
    expect(feeds.parameters!.find((p) => p.name === 'centerId')).toMatchObject({ in: 'query', required: true });
    expect(trend.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });

    // The documented error is the one the api sends.
    const refused = await stack.request('GET', '/api/v1/trend?unit=22&days=99', 'province.duty');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String), details: [{ path: 'query.days', message: expect.any(String) }] });

    const report = doc.paths['/api/v1/public/reports'].post;
    expect(report.security).toEqual([]);
    expect(report.responses).toHaveProperty('202');
    expect(report.responses['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
    expect(Object.keys(doc.paths['/truc-ban'].get.responses)).toEqual(['301']);
    const reportBody = report.requestBody!.content['application/json'].schema as { properties: Record<string, unknown>; required: string[] };
    expect(reportBody.required).toEqual(expect.arrayContaining(['category', 'description']));
    expect(Object.keys(reportBody.properties)).toEqual(expect.arrayContaining(['category', 'description', 'phone', 'place', 'unit']));
  });

  it('reads as a page that fetches nothing from elsewhere', async () => {
    const res = await fetch(`${stack.apiUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html.match(/<details /g)).toHaveLength(operations().length);
    expect(html).toContain('<code>/api/v1/zones/lockdowns/{id}/lift</code>');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain('<script');
  });
});
