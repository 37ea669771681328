import type { TaskView } from '@frontline/contracts';

/**
 * The field page's outbox: every tap becomes an entry with a client action id made ONCE, stored
 * before anything is sent, and sent in order until the server answers. Retries (network down,
 * 5xx, 408, 429) re-send the same id, so the api applies the action once however often it
 * arrives; a refusal (any other 4xx) drops the entry and keeps a message for the member.
 * Pure of the DOM: storage, sending and timers are given, so Jest covers it.
 */

export type FieldAction = 'acknowledge' | 'en-route' | 'on-scene' | 'complete';

export interface OutboxEntry {
  /** The client action id (also the Idempotency-Key). */
  id: string;
  taskId: string;
  action: FieldAction;
  queuedAt: number;
  attempts: number;
}

export interface Refusal {
  id: string;
  taskId: string;
  action: FieldAction;
  status: number;
  /** The api's reason (English, for the record); the screen says it in the member's language. */
  reason: string;
  at: number;
}

export type SendResult =
  | { kind: 'delivered'; task: TaskView }
  | { kind: 'retry'; retryAfterMs?: number }
  | { kind: 'refused'; status: number; reason: string }
  | { kind: 'unauthorized' };

export interface OutboxSnapshot {
  entries: readonly OutboxEntry[];
  refusals: readonly Refusal[];
  /** The last attempt failed for want of a link (or a server error): the page says so. */
  failing: boolean;
  /** Sending is paused until the member signs in again. */
  paused: boolean;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface OutboxOptions {
  storage: KeyValueStore | null;
  /** One outbox per account: another member on the same phone does not send these. */
  key: string;
  send: (entry: OutboxEntry) => Promise<SendResult>;
  onDelivered?: (task: TaskView, entry: OutboxEntry) => void;
  onUnauthorized?: () => void;
  /** False when the device knows it has no network: nothing is tried until `retryNow()`. */
  isOnline?: () => boolean;
  newId?: () => string;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** Refusals older than this are forgotten (the member has seen them or never will). */
const REFUSAL_TTL_MS = 24 * 3_600_000;
/** Offline, the queue looks again this often in case the "online" signal never comes. */
const OFFLINE_CHECK_MS = 5_000;

/** 1 s, 2 s, 4 s … 30 s, with jitter so a crowd of phones does not retry in step. */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return delay / 2 + random() * (delay / 2);
}

/** 24 random hex digits: fits the api's client action id (8-64 of [A-Za-z0-9_.:-]). */
export function newActionId(): string {
  const bytes = new Uint8Array(12);
  // getRandomValues (unlike randomUUID) also works on a plain-HTTP page of the local network.
  globalThis.crypto.getRandomValues(bytes);
  return `fa-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  const e = value as OutboxEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.taskId === 'string' &&
    ['acknowledge', 'en-route', 'on-scene', 'complete'].includes(e.action) &&
    typeof e.queuedAt === 'number' &&
    typeof e.attempts === 'number'
  );
}

export class Outbox {
  private entries: OutboxEntry[] = [];
  private refusals: Refusal[] = [];
  private failing = false;
  private paused = false;
  private sending = false;
  private stopped = true;
  private timer: unknown = null;
  private snapshot: OutboxSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    this.load();
    this.snapshot = this.makeSnapshot();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): OutboxSnapshot => this.snapshot;

  /** Starts sending what is stored (entries left by an earlier visit go first). */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  /** A tap: stored at once with its id, then sent when its turn comes. */
  enqueue(taskId: string, action: FieldAction): OutboxEntry {
    const entry: OutboxEntry = {
      id: (this.options.newId ?? newActionId)(),
      taskId,
      action,
      queuedAt: this.now(),
      attempts: 0,
    };
    this.entries = [...this.entries, entry];
    this.persist();
    this.changed();
    this.kick();
    return entry;
  }

  /** Try now (the link is back, the member signed in again): the backoff starts over. */
  retryNow(): void {
    this.paused = false;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.changed();
    this.kick();
  }

  dismiss(refusalId: string): void {
    this.refusals = this.refusals.filter((r) => r.id !== refusalId);
    this.persist();
    this.changed();
  }

  private kick(): void {
    if (this.stopped || this.paused || this.sending || this.timer !== null) return;
    void this.drain();
  }

  /** Sends the head of the queue, one at a time, until it is empty or an attempt must wait. */
  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (!this.stopped && !this.paused && this.entries.length) {
        if (this.options.isOnline && !this.options.isOnline()) {
          this.wait(OFFLINE_CHECK_MS, true);
          return;
        }
        const entry = this.entries[0];
        let result: SendResult;
        try {
          result = await this.options.send(entry);
        } catch {
          result = { kind: 'retry' };
        }
        if (result.kind === 'unauthorized') {
          this.paused = true;
          this.changed();
          this.options.onUnauthorized?.();
          return;
        }
        if (result.kind === 'retry') {
          this.update(entry.id, { attempts: entry.attempts + 1 });
          this.wait(Math.max(result.retryAfterMs ?? 0, retryDelay(entry.attempts + 1, this.random)), true);
          return;
        }
        this.entries = this.entries.filter((e) => e.id !== entry.id);
        this.failing = false;
        if (result.kind === 'refused') {
          this.refusals = [
            ...this.refusals,
            {
              id: entry.id,
              taskId: entry.taskId,
              action: entry.action,
              status: result.status,
              reason: result.reason,
              at: this.now(),
            },
          ];
        }
        this.persist();
        this.changed();
        if (result.kind === 'delivered') this.options.onDelivered?.(result.task, entry);
      }
    } finally {
      this.sending = false;
    }
  }

  private wait(ms: number, failing: boolean): void {
    this.failing = failing;
    this.changed();
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }

  private update(id: string, patch: Partial<OutboxEntry>): void {
    this.entries = this.entries.map((e) => (e.id === id ? { ...e, ...patch } : e));
    this.persist();
  }

  private load(): void {
    try {
      const raw = this.options.storage?.getItem(this.options.key);
      if (!raw) return;
      const stored = JSON.parse(raw) as { entries?: unknown[]; refusals?: Refusal[] };
      this.entries = (stored.entries ?? []).filter(isEntry);
      const since = this.now() - REFUSAL_TTL_MS;
      this.refusals = (stored.refusals ?? []).filter(
        (r) => typeof r?.id === 'string' && typeof r.at === 'number' && r.at > since,
      );
    } catch {
      this.entries = [];
      this.refusals = [];
    }
  }

  private persist(): void {
    try {
      this.options.storage?.setItem(
        this.options.key,
        JSON.stringify({ entries: this.entries, refusals: this.refusals }),
      );
    } catch {
      // Storage full or forbidden: the queue still lives as long as the page.
    }
  }

  private makeSnapshot(): OutboxSnapshot {
    return {
      entries: this.entries,
      refusals: this.refusals,
      failing: this.failing,
      paused: this.paused,
    };
  }

  private changed(): void {
    this.snapshot = this.makeSnapshot();
    for (const listener of this.listeners) listener();
  }
}
