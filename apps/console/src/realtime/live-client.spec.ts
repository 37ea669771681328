import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { LiveEvent, LiveHandshakeAuth, SnapshotResponse } from '@frontline/contracts';
import { ApiError } from '../api/client';
import { dayKey } from '../lib/time';
import { LiveClient } from './live-client';

/**
 * The console's side of the sync protocol, against a fake socket standing in for Socket.IO:
 * the tests play the server (accept, push batches, ask for a resync, drop the link) and read
 * what the client sends in its handshake and what its state says.
 */
type Handler = (...args: unknown[]) => void;
type SendAuth = (auth: LiveHandshakeAuth) => void;

class FakeSocket {
  connected = false;
  active = false;
  /** The handshake of every connection attempt, in order. */
  readonly handshakes: LiveHandshakeAuth[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  constructor(private readonly auth: (send: SendAuth) => void) {}

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  removeAllListeners(): this {
    this.handlers.clear();
    return this;
  }

  connect(): this {
    this.active = true;
    this.auth((auth) => this.handshakes.push(auth));
    return this;
  }

  disconnect(): this {
    const wasOpen = this.connected || this.active;
    this.connected = false;
    this.active = false;
    if (wasOpen) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  // ---- the server's side ----

  /** The handshake passed: the server backfills (batches), then says `live`. */
  accept(...backfill: LiveEvent[][]): void {
    this.connected = true;
    this.fire('connect');
    for (const events of backfill) this.fire('events', { events });
    this.fire('live');
  }

  /** The link broke (not the client's doing); Socket.IO retries by itself. */
  drop(reason = 'transport close'): void {
    this.connected = false;
    this.active = reason !== 'io server disconnect';
    this.fire('disconnect', reason);
  }

  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

const sockets: FakeSocket[] = [];
jest.mock('socket.io-client', () => ({
  io: (_namespace: string, options: { auth: (send: SendAuth) => void }) => {
    const socket = new FakeSocket(options.auth);
    sockets.push(socket);
    return socket;
  },
}));

const EPOCH = 'e1';
const counters = { f0Today: 3, f0Last7Days: 9, f1Active: 20, testsToday: 40, positivesToday: 2, openReports: 1 };
let seq = 0;

function event(type: string, unitPath = ['22', '194'], payload: Record<string, unknown> = {}): LiveEvent {
  seq += 1;
  return {
    id: `ev-${seq}`,
    type,
    unit: unitPath[unitPath.length - 1],
    unitPath,
    occurredAt: new Date().toISOString(),
    seq,
    payload,
    cursor: `${EPOCH}:${1000 + seq}-0`,
  } as LiveEvent;
}

function snapshot(unit: string, cursor: string | null, recent: LiveEvent[] = []): SnapshotResponse {
  return {
    unit: { code: unit, name: unit, level: unit === '22' ? 'province' : 'district' },
    cursor,
    generatedAt: new Date().toISOString(),
    day: dayKey(Date.now()),
    counters,
    recent: recent.map(({ cursor: _cursor, ...feed }) => feed),
    unacknowledged: [],
  };
}

/** A snapshot loader the test answers by hand, one request at a time. */
class Snapshots {
  readonly requests: { unit: string; resolve: (s: SnapshotResponse) => void; reject: (e: unknown) => void }[] = [];
  readonly load = (unit: string): Promise<SnapshotResponse> =>
    new Promise((resolve, reject) => this.requests.push({ unit, resolve, reject }));

  async answer(response: SnapshotResponse): Promise<void> {
    const request = this.requests.shift();
    if (!request) throw new Error('no snapshot request pending');
    request.resolve(response);
    await flush();
  }

  async fail(error: unknown): Promise<void> {
    const request = this.requests.shift();
    if (!request) throw new Error('no snapshot request pending');
    request.reject(error);
    await flush();
  }
}

/** Lets pending promise callbacks run (the client awaits the snapshot, then connects). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

let snapshots: Snapshots;
let client: LiveClient;
let onUnauthorized: jest.Mock<() => void>;

function startClient(options: { unit?: string; home?: string } = {}): LiveClient {
  client = new LiveClient({
    token: 'token-1',
    username: 'province.duty',
    unit: options.unit ?? '22',
    home: options.home,
    onUnauthorized,
    loadSnapshot: snapshots.load,
  });
  client.start();
  return client;
}

const ids = () => client.getState().items.map((item) => item.event.id);
const lastSocket = () => sockets[sockets.length - 1];

beforeEach(() => {
  jest.useFakeTimers();
  sockets.length = 0;
  snapshots = new Snapshots();
  onUnauthorized = jest.fn();
  Object.assign(globalThis, { window: new EventTarget() });
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  client?.stop();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('LiveClient: snapshot, then the socket from its cursor', () => {
  it('connects with the snapshot cursor and is live after the backfill', async () => {
    startClient();
    expect(client.getState()).toMatchObject({ connection: 'resyncing', loaded: false });
    expect(snapshots.requests.map((r) => r.unit)).toEqual(['22']);
    expect(sockets).toHaveLength(0); // no socket before the snapshot is there

    const earlier = event('test.resulted');
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`, [earlier]));
    expect(client.getState()).toMatchObject({ connection: 'resyncing', loaded: true, counters });
    expect(lastSocket().handshakes).toEqual([{ token: 'token-1', since: `${EPOCH}:1000-0` }]);

    const missed = event('case.confirmed');
    lastSocket().accept([missed]);
    expect(client.getState().connection).toBe('live');
    expect(ids()).toEqual([missed.id, earlier.id]);
    expect(client.getState().counters?.f0Today).toBe(counters.f0Today + 1);
  });

  it('connects without `since` when the stream was empty at the snapshot', async () => {
    startClient();
    await snapshots.answer(snapshot('22', null));
    expect(lastSocket().handshakes).toEqual([{ token: 'token-1' }]);
  });

  it('drops events it has already seen (from the snapshot or an earlier batch), in order', async () => {
    startClient();
    const fromSnapshot = event('test.resulted');
    await snapshots.answer(snapshot('22', fromSnapshot.cursor, [fromSnapshot]));
    const a = event('case.confirmed');
    const b = event('report.received', ['22', '194'], { category: 'other' });
    const heard: string[][] = [];
    client.subscribeEvents((events) => heard.push(events.map((e) => e.id)));

    lastSocket().accept([fromSnapshot, a], [a, b]);
    lastSocket().fire('events', { events: [b] });

    expect(heard).toEqual([[a.id], [b.id]]);
    expect(ids()).toEqual([b.id, a.id, fromSnapshot.id]);
    expect(client.getState().counters?.f0Today).toBe(counters.f0Today + 1);
  });

  it('counts only events after the snapshot cursor into the figures', async () => {
    startClient();
    const before = event('case.confirmed');
    const at = event('case.confirmed');
    await snapshots.answer(snapshot('22', at.cursor));
    const after = event('case.confirmed');
    lastSocket().accept([before, at, after]);
    expect(client.getState().counters?.f0Today).toBe(counters.f0Today + 1);
  });

  it('ignores malformed batches without losing its place', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    lastSocket().accept();
    lastSocket().fire('events', null);
    lastSocket().fire('events', { events: [{ id: 'x' }, 'nonsense'] });
    expect(ids()).toEqual([]);
    expect(client.getState().connection).toBe('live');
  });
});

describe('LiveClient: reconnecting resumes from the last cursor', () => {
  it('sends the newest cursor it holds on every reconnect attempt', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    const a = event('case.confirmed');
    const b = event('case.confirmed');
    lastSocket().accept([a, b]);

    lastSocket().drop();
    expect(client.getState().connection).toBe('reconnecting');
    expect(client.getState().disconnectedAt).not.toBeNull();
    // Socket.IO's own retry calls the auth callback again: the cursor of `b`, not the snapshot's.
    lastSocket().connect();
    expect(lastSocket().handshakes.at(-1)).toEqual({ token: 'token-1', since: b.cursor });

    const c = event('case.confirmed');
    lastSocket().accept([b, c]); // the backfill may overlap what arrived before the drop
    expect(ids()).toEqual([c.id, b.id, a.id]);
    expect(client.getState()).toMatchObject({ connection: 'live', disconnectedAt: null });
    expect(sockets).toHaveLength(1); // the same socket, no new snapshot
    expect(snapshots.requests).toHaveLength(0);
  });

  it('takes the cursor of a duplicate too (a re-published event further along the stream)', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    const a = event('case.confirmed');
    lastSocket().accept([a]);
    const republished = { ...a, cursor: `${EPOCH}:9000-0` };
    lastSocket().fire('events', { events: [republished] });
    expect(ids()).toEqual([a.id]);
    lastSocket().drop();
    lastSocket().connect();
    expect(lastSocket().handshakes.at(-1)?.since).toBe(`${EPOCH}:9000-0`);
  });

  it('turns offline when reconnecting lasts longer than 10 s', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    lastSocket().accept();
    lastSocket().drop();
    await jest.advanceTimersByTimeAsync(9_000);
    expect(client.getState().connection).toBe('reconnecting');
    await jest.advanceTimersByTimeAsync(1_500);
    expect(client.getState().connection).toBe('offline');
  });

  it('reconnects by itself after the server closed the socket', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    const a = event('case.confirmed');
    lastSocket().accept([a]);
    lastSocket().drop('io server disconnect');
    expect(lastSocket().handshakes).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_100); // the first retry waits 0.5-1 s
    expect(lastSocket().handshakes).toHaveLength(2);
    expect(lastSocket().handshakes[1].since).toBe(a.cursor);
  });
});

describe('LiveClient: resync when the server cannot fill the gap', () => {
  it('reloads the snapshot and connects again from its cursor', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    const lost = event('case.confirmed');
    lastSocket().accept([lost]);

    lastSocket().fire('resync', { reason: 'cursor-trimmed' });
    expect(client.getState().connection).toBe('resyncing');
    expect(lastSocket().connected).toBe(false); // the old link is closed while the snapshot loads
    expect(snapshots.requests.map((r) => r.unit)).toEqual(['22']);

    const kept = event('test.resulted');
    await snapshots.answer(snapshot('22', 'e2:5-0', [kept]));
    // The snapshot replaces what was shown; the link resumes from the new snapshot's cursor.
    expect(ids()).toEqual([kept.id]);
    expect(lastSocket().handshakes.at(-1)).toEqual({ token: 'token-1', since: 'e2:5-0' });
    lastSocket().accept();
    expect(client.getState().connection).toBe('live');
  });

  it('after a resync only the new snapshot counts as seen: an event it lacks is shown again', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    const a = event('case.confirmed');
    lastSocket().accept([a]);
    lastSocket().fire('resync', { reason: 'stream-reset' });
    await snapshots.answer(snapshot('22', 'e2:1-0'));
    const again = { ...a, cursor: 'e2:2-0' };
    lastSocket().accept([again]);
    expect(ids()).toEqual([a.id]);
  });

  it('ignores the late answer of a snapshot it no longer waits for', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    lastSocket().accept();
    lastSocket().fire('resync', { reason: 'cursor-unknown' });
    lastSocket().fire('resync', { reason: 'cursor-unknown' });
    expect(snapshots.requests).toHaveLength(2);
    const [stale] = snapshots.requests.splice(0, 1);

    const fresh = event('test.resulted');
    await snapshots.answer(snapshot('22', 'e3:7-0', [fresh]));
    stale.resolve(snapshot('22', 'e3:1-0', [event('case.confirmed')]));
    await flush();

    expect(ids()).toEqual([fresh.id]);
    expect(lastSocket().handshakes.at(-1)?.since).toBe('e3:7-0');
  });

  it('retries a failed snapshot, offline meanwhile, and connects once it comes', async () => {
    startClient();
    await snapshots.fail(new Error('network down'));
    expect(client.getState().connection).toBe('offline');
    expect(sockets).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1_100); // first retry after 0.5-1 s
    expect(snapshots.requests).toHaveLength(1);
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    expect(lastSocket().handshakes).toEqual([{ token: 'token-1', since: `${EPOCH}:1000-0` }]);
  });
});

describe('LiveClient: the session ends when the token is refused', () => {
  it('on a socket `unauthorized`: stops and says so once', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    const socket = lastSocket();
    socket.fire('connect_error', new Error('unauthorized'));
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(socket.active).toBe(false);
    // Nothing reaches a stopped client.
    const before = client.getState();
    socket.fire('events', { events: [event('case.confirmed')] });
    expect(client.getState()).toBe(before);
  });

  it('on a 401 for the snapshot: no socket is opened', async () => {
    startClient();
    await snapshots.fail(new ApiError(401, null));
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(sockets).toHaveLength(0);
    expect(snapshots.requests).toHaveLength(0);
  });
});

describe('LiveClient: drill-down keeps the socket', () => {
  it('loads the unit snapshot and adds what arrived after its cursor', async () => {
    startClient();
    await snapshots.answer(snapshot('22', `${EPOCH}:1000-0`));
    const inMongCai = event('case.confirmed', ['22', '194']);
    const inHaLong = event('case.confirmed', ['22', '193']);
    lastSocket().accept([inMongCai, inHaLong]);

    client.setUnit('194');
    expect(client.getState()).toMatchObject({ unit: '194', loaded: false, connection: 'live' });
    // The unit's snapshot was taken before `inMongCai` reached the stream.
    await snapshots.answer(snapshot('194', `${EPOCH}:1000-0`));
    expect(ids()).toEqual([inMongCai.id]);
    expect(client.getState().counters?.f0Today).toBe(counters.f0Today + 1);
    expect(sockets).toHaveLength(1);
    expect(lastSocket().handshakes).toHaveLength(1);
  });
});
