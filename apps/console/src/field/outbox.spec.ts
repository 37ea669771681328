import { describe, expect, it } from '@jest/globals';
import type { TaskView } from '@frontline/contracts';
import { Outbox, retryDelay } from './outbox';
import type { OutboxEntry, OutboxOptions, SendResult } from './outbox';

class MemoryStore {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}

const task = (id: string, state: TaskView['state']) => ({ id, state }) as TaskView;
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** An outbox whose sends answer from a script and whose timers run when told. */
function harness(answers: SendResult[], extra: Partial<OutboxOptions> = {}) {
  const store = new MemoryStore();
  const sent: OutboxEntry[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  let ids = 0;
  const options: OutboxOptions = {
    storage: store,
    key: 'outbox',
    send: (entry) => {
      sent.push(entry);
      return Promise.resolve(answers.shift() ?? { kind: 'retry' });
    },
    newId: () => `fa-test-${++ids}`,
    random: () => 0.5,
    setTimer: (fn, ms) => {
      const timer = { fn, ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      const i = timers.indexOf(timer as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
    ...extra,
  };
  const outbox = new Outbox(options);
  const fire = async () => {
    const timer = timers.shift();
    timer?.fn();
    await flush();
    return timer?.ms;
  };
  return { outbox, store, sent, timers, fire, options };
}

describe('field outbox', () => {
  it('stores a tap before sending it and drops it once delivered', async () => {
    const delivered: string[] = [];
    const h = harness([{ kind: 'delivered', task: task('t1', 'acknowledged') }], {
      onDelivered: (t) => delivered.push(t.id),
    });
    h.outbox.start();
    const entry = h.outbox.enqueue('t1', 'acknowledge');
    // Persisted synchronously, before the answer.
    expect(JSON.parse(h.store.getItem('outbox')!).entries).toEqual([entry]);
    await flush();
    expect(h.sent.map((e) => e.id)).toEqual(['fa-test-1']);
    expect(h.outbox.getSnapshot().entries).toEqual([]);
    expect(JSON.parse(h.store.getItem('outbox')!).entries).toEqual([]);
    expect(delivered).toEqual(['t1']);
  });

  it('retries with the same id and a growing delay, in order, until the server answers', async () => {
    const h = harness([
      { kind: 'retry' },
      { kind: 'retry' },
      { kind: 'delivered', task: task('t1', 'acknowledged') },
      { kind: 'delivered', task: task('t1', 'en-route') },
    ]);
    h.outbox.start();
    h.outbox.enqueue('t1', 'acknowledge');
    h.outbox.enqueue('t1', 'en-route');
    await flush();
    expect(h.outbox.getSnapshot()).toMatchObject({ failing: true });
    expect(h.outbox.getSnapshot().entries).toHaveLength(2);
    expect(await h.fire()).toBe(retryDelay(1, () => 0.5));
    expect(await h.fire()).toBe(retryDelay(2, () => 0.5));
    expect(h.sent.map((e) => `${e.id}:${e.action}`)).toEqual([
      'fa-test-1:acknowledge',
      'fa-test-1:acknowledge',
      'fa-test-1:acknowledge',
      'fa-test-2:en-route',
    ]);
    expect(h.outbox.getSnapshot()).toMatchObject({ entries: [], failing: false });
  });

  it('drops a refused action with a message and goes on with the next', async () => {
    const h = harness([
      { kind: 'refused', status: 409, reason: 'the task is cancelled' },
      { kind: 'delivered', task: task('t2', 'acknowledged') },
    ]);
    h.outbox.start();
    h.outbox.enqueue('t1', 'en-route');
    h.outbox.enqueue('t2', 'acknowledge');
    await flush();
    const snap = h.outbox.getSnapshot();
    expect(snap.entries).toEqual([]);
    expect(snap.refusals).toEqual([
      expect.objectContaining({ taskId: 't1', action: 'en-route', status: 409 }),
    ]);
    h.outbox.dismiss(snap.refusals[0].id);
    expect(h.outbox.getSnapshot().refusals).toEqual([]);
  });

  it('sends nothing while the device is offline, and everything once it is back', async () => {
    let online = false;
    const h = harness([{ kind: 'delivered', task: task('t1', 'acknowledged') }], {
      isOnline: () => online,
    });
    h.outbox.start();
    h.outbox.enqueue('t1', 'acknowledge');
    await flush();
    expect(h.sent).toEqual([]);
    expect(h.outbox.getSnapshot()).toMatchObject({ failing: true });
    online = true;
    h.outbox.retryNow();
    await flush();
    expect(h.sent).toHaveLength(1);
    expect(h.timers).toEqual([]);
    expect(h.outbox.getSnapshot().entries).toEqual([]);
  });

  it('resumes what an earlier page left, with the ids it was given then', async () => {
    const first = harness([]);
    first.outbox.enqueue('t1', 'complete');
    const left = first.store.getItem('outbox')!;
    const h = harness([{ kind: 'delivered', task: task('t1', 'done') }]);
    h.store.setItem('outbox', left);
    const again = new Outbox({ ...h.options, storage: h.store });
    again.start();
    await flush();
    expect(h.sent.map((e) => e.id)).toEqual(['fa-test-1']);
  });

  it('pauses on 401 and keeps the entry for the next sign-in', async () => {
    let told = 0;
    const h = harness([{ kind: 'unauthorized' }], { onUnauthorized: () => told++ });
    h.outbox.start();
    h.outbox.enqueue('t1', 'acknowledge');
    await flush();
    expect(told).toBe(1);
    expect(h.outbox.getSnapshot()).toMatchObject({ paused: true });
    expect(JSON.parse(h.store.getItem('outbox')!).entries).toHaveLength(1);
  });
});
