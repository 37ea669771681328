import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_EVENTS,
  LiveBatch,
  LiveEvent,
  LiveResync,
} from '@frontline/contracts';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import {
  compareStreamIds,
  createRedis,
  formatCursor,
  LOGGER,
  parseCursor,
  type Redis,
  REDIS,
  STREAM_KEYS,
  StreamEntry,
  StreamKeys,
  StreamTail,
  UnitDirectory,
} from '@frontline/spine';
import type { Logger } from '@frontline/logger';
import type { Principal } from '../auth/token.service';
import { toFeedEvent } from './feed-event';

const BACKFILL_CHUNK = 500;

export function unitRoom(code: string): string {
  return `unit:${code}`;
}

/**
 * Everything the api pushes to consoles goes through here: the stream tail's batches are
 * fanned out to the rooms of every ancestor of each event's unit (a socket sits in the room
 * of its user's home unit, so it gets exactly its jurisdiction), and new sockets are
 * backfilled from their cursor before they join the live flow.
 */
@Injectable()
export class LiveService implements OnApplicationShutdown {
  private namespace?: Namespace;
  private tail?: StreamTail;
  private bound?: Promise<void>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  bind(namespace: Namespace): Promise<void> {
    this.bound ??= this.startTail(namespace);
    return this.bound;
  }

  private async startTail(namespace: Namespace): Promise<void> {
    this.namespace = namespace;
    const reader = createRedis(this.config.REDIS_URL, 'live-tail', 'blocking');
    reader.on('error', () => undefined);
    this.tail = new StreamTail(
      reader,
      this.redis,
      this.keys,
      this.config.LIVE_BATCH_MS,
      {
        onBatch: (entries) => this.fanOut(entries),
        onReset: () => this.resyncAll('stream-reset'),
      },
      this.logger,
    );
    await this.tail.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tail?.stop();
  }

  /** Sockets connected to this instance (the live-sockets metric). */
  connectedSockets(): number {
    return this.namespace?.sockets.size ?? 0;
  }

  /** Emits one batch to a unit's room (and so to every socket whose jurisdiction is that unit). */
  emitToUnit(unitCode: string, batch: LiveBatch): void {
    const room = unitRoom(unitCode);
    // Socket.IO would encode the batch even for a room nobody is in.
    if (!this.namespace?.adapter.rooms.get(room)?.size) return;
    this.namespace.to(room).emit(LIVE_EVENTS.batch, batch);
  }

  private fanOut(entries: StreamEntry[]): void {
    const byRoom = new Map<string, LiveEvent[]>();
    const epoch = this.tail?.epoch ?? '';
    for (const { streamId, event } of entries) {
      const live: LiveEvent = { ...toFeedEvent(event), cursor: formatCursor(epoch, streamId) };
      for (const code of event.unitPath) {
        const list = byRoom.get(code);
        if (list) list.push(live);
        else byRoom.set(code, [live]);
      }
    }
    for (const [code, events] of byRoom) this.emitToUnit(code, { events });
  }

  private resyncAll(reason: LiveResync['reason']): void {
    this.namespace?.emit(LIVE_EVENTS.resync, { reason } satisfies LiveResync);
  }

  /** A socket that passed the handshake: backfill from its cursor (or resync), then go live. */
  async attach(socket: Socket): Promise<void> {
    await this.bound;
    const principal = socket.data.principal as Principal;
    const since = (socket.handshake.auth as { since?: unknown } | undefined)?.since;
    if (since !== undefined && since !== null && since !== '') {
      const outcome = await this.backfill(socket, principal, since);
      if (outcome !== 'ok') socket.emit(LIVE_EVENTS.resync, { reason: outcome } satisfies LiveResync);
    }
    if (socket.disconnected) return;
    // Joined synchronously after the last backfill read: no batch can slip in between.
    await socket.join(unitRoom(principal.unitCode));
    socket.emit(LIVE_EVENTS.ready, {});
  }

  private async backfill(socket: Socket, principal: Principal, since: unknown): Promise<'ok' | LiveResync['reason']> {
    const tail = this.tail;
    const cursor = parseCursor(since);
    if (!tail || !cursor) return 'cursor-unknown';
    if (cursor.epoch !== tail.epoch) return 'stream-reset';
    const coverage = await tail.canBackfillFrom(cursor.streamId).catch(() => 'unknown' as const);
    if (coverage === 'trimmed') return 'cursor-trimmed';
    if (coverage === 'unknown') return 'cursor-unknown';

    const max = this.config.LIVE_BACKFILL_MAX;
    const collected: StreamEntry[] = [];
    let from = cursor.streamId;
    // Read up to what the tail has already fanned out; repeat if it moved while we read.
    for (;;) {
      const target = tail.lastFlushedId;
      if (compareStreamIds(target, from) > 0) {
        collected.push(...(await tail.range(from, target, max - collected.length)));
        if (collected.length > max) return 'backfill-too-large';
        from = target;
      }
      if (tail.lastFlushedId === target) break;
    }
    if (tail.epoch !== cursor.epoch) return 'stream-reset';

    const epoch = cursor.epoch;
    const visible = collected
      .filter(({ event }) => UnitDirectory.within(principal.unitCode, event.unitPath))
      .map(({ streamId, event }): LiveEvent => ({ ...toFeedEvent(event), cursor: formatCursor(epoch, streamId) }));
    for (let i = 0; i < visible.length; i += BACKFILL_CHUNK) {
      socket.emit(LIVE_EVENTS.batch, { events: visible.slice(i, i + BACKFILL_CHUNK) } satisfies LiveBatch);
    }
    this.logger.debug({ user: principal.userId, backfilled: visible.length }, 'socket backfilled');
    return 'ok';
  }
}
