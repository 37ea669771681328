import { Queue } from 'bullmq';
import { bullPrefix, QUEUES } from '@frontline/queue';
import { CONSUMER_GROUPS } from '@frontline/spine';
import { createCase, personBody } from './support/cases';
import { DISTRICTS, EventFactory } from './support/factories';
import { InProcessApi } from './support/in-process';
import { LiveClient } from './support/live-client';
import { freePort } from './support/ports';
import { TestStack } from './support/stack';
import { waitFor } from './support/wait';

const MC = DISTRICTS.mongCai;
/** What Prometheus sends: it admits HTML, so the console's fallback must leave /metrics alone. */
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1';
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'];

/** The value of one series of a Prometheus text exposition (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(url: string): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(`${url}/metrics`, { headers: { accept: PROMETHEUS_ACCEPT } });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/**
 * Prometheus metrics of the api and the worker (docs/decisions/0032-prometheus-metrics.md): each
 * app its own registry, scrape-time gauges read from Redis, and logs that keep no personal data.
 */
describe('observability: /metrics on the api and the worker', () => {
  // Debug logs: every line either app can write is in its output, for the personal-data check.
  const stack = new TestStack({ env: { LOG_LEVEL: 'debug' } });
  let person: Record<string, unknown>;
  let caseId: string;

  beforeAll(async () => {
    await stack.start();
    person = personBody(MC.code, { location: { lat: 21.53, lon: 107.96 } });
    caseId = (await createCase(stack, MC.account, { person, classification: 'F0' })).id;
    // The worker's rule opens the F0's tracing task: the worker has read and written it.
    await waitFor('the tracing task of the F0', () => stack.count(`SELECT count(*) FROM tasks`), 30_000);
  }, 120_000);
  afterAll(async () => {
    await stack.stop();
  });

  it('no name, phone, ID number or address of the case person reaches the api or worker log', () => {
    const api = stack.apis[0].output;
    const worker = stack.worker.output;
    // The logs were captured: the request line of the case creation and the worker's consumers.
    expect(api).toContain('"path":"/api/v1/cases"');
    expect(worker).toContain('consumed');
    for (const value of [person.fullName, person.phone, String(person.phone).replace(/ /g, ''), person.nationalId, person.address]) {
      expect(api).not.toContain(String(value));
      expect(worker).not.toContain(String(value));
    }
  });

  it('the api: Prometheus text with requests by route template, events by path, sockets, stream, groups and queues', async () => {
    const before = await scrape(stack.apiUrl);
    expect(before.status).toBe(200);
    const ingested = (text: string, type: string, path: string) => sample(text, 'frontline_events_ingested_total', { type, path }) ?? 0;

    await stack.postEvents(MC.account, [1, 2, 3].map(() => EventFactory.testResulted('negative').inUnit(MC.code).build()));
    await stack.postEvents(MC.account, [EventFactory.caseConfirmed().inUnit(MC.code).build()]);
    expect((await stack.request('GET', `/api/v1/cases/${caseId}`, MC.account)).status).toBe(200);
    const client = await new LiveClient(stack.apiUrl, await stack.token(MC.account)).connect();
    try {
      const { status, contentType, text } = await scrape(stack.apiUrl);
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

      // Events by the path they came in by: as sent, taken by the case registry, created by the server.
      expect(ingested(text, 'test.resulted', 'ingest') - ingested(before.text, 'test.resulted', 'ingest')).toBe(3);
      expect(ingested(text, 'case.confirmed', 'integration') - ingested(before.text, 'case.confirmed', 'integration')).toBe(1);
      expect(ingested(text, 'case.confirmed', 'server')).toBe(1);

      // Latency by route template, never by URL.
      const count = (method: string, route: string) =>
        sample(text, 'frontline_http_request_duration_seconds_count', { method, route, status_class: '2xx' });
      expect(count('POST', '/api/v1/events')).toBe(2);
      expect(count('GET', '/api/v1/cases/:id')).toBe(1);
      expect(count('POST', '/api/v1/cases')).toBe(1);
      expect(text).not.toContain(caseId);

      expect(sample(text, 'frontline_live_sockets')).toBe(1);
      expect(sample(text, 'frontline_stream_length')).toBeGreaterThanOrEqual(6);
      for (const group of CONSUMER_GROUPS) {
        expect(sample(text, 'frontline_consumer_group_lag', { group })).toBeGreaterThanOrEqual(0);
        expect(sample(text, 'frontline_consumer_group_pending', { group })).toBeGreaterThanOrEqual(0);
      }
      for (const queue of Object.values(QUEUES)) {
        for (const state of QUEUE_STATES) expect(sample(text, 'frontline_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
      }
      // prom-client's process metrics.
      expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    } finally {
      client.socket.disconnect();
    }
    await waitFor('the socket gauge back to 0', async () => sample((await scrape(stack.apiUrl)).text, 'frontline_live_sockets') === 0, 10_000);
  });

  it('the worker: its own events, stream and queues, failed job attempts and relay republishes', async () => {
    const first = await scrape(stack.workerUrl);
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    // The tracing task the worker's rule opened is a server-created event of the worker.
    expect(sample(first.text, 'frontline_events_ingested_total', { type: 'task.created', path: 'server' })).toBeGreaterThanOrEqual(1);
    expect(sample(first.text, 'frontline_events_ingested_total', { type: 'test.resulted', path: 'ingest' })).toBeUndefined();
    for (const group of CONSUMER_GROUPS) expect(sample(first.text, 'frontline_consumer_group_lag', { group })).toBeGreaterThanOrEqual(0);
    expect(sample(first.text, 'frontline_queue_jobs', { queue: QUEUES.escalations, state: 'delayed' })).toBeGreaterThanOrEqual(1);
    expect(sample(first.text, 'frontline_relay_republished_events_total')).toBe(0);
    expect(sample(first.text, 'frontline_http_request_duration_seconds_count')).toBeUndefined();
    expect(sample(first.text, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    // A job whose processor throws (a task id that is not a UUID): one failed attempt, one failed job.
    const queue = new Queue(QUEUES.escalations, { connection: { url: stack.redisUrl }, prefix: bullPrefix(stack.prefix) });
    try {
      await queue.add('escalate', { taskId: 'not-a-task', deadline: 'acknowledge', level: 1, due: new Date().toISOString() });
    } finally {
      await queue.close();
    }
    const failed = await waitFor('the failed attempt counted', async () => {
      const { text } = await scrape(stack.workerUrl);
      return sample(text, 'frontline_queue_job_failures_total', { queue: QUEUES.escalations }) === 1 ? text : '';
    });
    expect(sample(failed, 'frontline_queue_jobs', { queue: QUEUES.escalations, state: 'failed' })).toBe(1);

    // The stream looks reset (its epoch is gone) and one event lacks a group's receipt: the relay
    // republishes exactly that one.
    for (const group of CONSUMER_GROUPS) await stack.consumed(group);
    const [{ id }] = (await stack.db.query(`SELECT id FROM event_log ORDER BY seq LIMIT 1`)).rows;
    await stack.db.query(`DELETE FROM consumer_receipts WHERE event_id = $1 AND consumer = 'projector'`, [id]);
    await stack.redis.del(`${stack.prefix}events:epoch`);
    await waitFor('the republish counted', async () => {
      const { text } = await scrape(stack.workerUrl);
      return sample(text, 'frontline_relay_republished_events_total') === 1;
    });
  });

  it('with METRICS_TOKEN set, a scrape needs the bearer token', async () => {
    const token = 'scrape-token-0123456789';
    const port = await freePort();
    const api = new InProcessApi('api-token', stack.env({ PORT: String(port), METRICS_TOKEN: token }), `http://127.0.0.1:${port}/health/ready`);
    await api.start();
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer not-the-token-0123' } })).status).toBe(401);
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('frontline_stream_length');
    } finally {
      await api.stop();
    }
  });
});
