/**
 * A child process of bench/fanout.bench.ts: the ceiling the api's fan-out is compared with. A bare
 * `ws` server (no database, no stream, no Socket.IO) that takes the same POSTs as /api/v1/events,
 * answers 202 at once and broadcasts the events to the same rooms the api would use: every unit
 * on the event's path (the province and its district). Each room's message is serialized once and
 * written to each of its clients, as Socket.IO does for a room.
 *
 *   argv[2]  conflation window in ms: 0 broadcasts each POST's events as it arrives; more collects
 *            them on a free-running timer, as the api's stream tail does (LIVE_BATCH_MS).
 *
 * Clients connect to `ws://127.0.0.1:<port>/?unit=<code>` (their jurisdiction). The events carry
 * the fields the api adds (seq, unit path, cursor) and lose the personal fields it removes, so
 * messages are the same size.
 */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { PERSONAL_FIELDS } from '@frontline/contracts';
import { PROVINCE_CODE } from './machine';

export type RawBroadcastMessage = { type: 'listening'; port: number } | { type: 'stats'; messages: number; bytes: number; deliveries: number };

interface PostedEvent {
  id: string;
  type: string;
  unit: string;
  payload: Record<string, unknown>;
  [field: string]: unknown;
}

const personalFields = PERSONAL_FIELDS as Record<string, readonly string[] | undefined>;

function withoutPersonalFields(e: PostedEvent): PostedEvent {
  const personal = personalFields[e.type];
  if (!personal) return e;
  return { ...e, payload: Object.fromEntries(Object.entries(e.payload).filter(([k]) => !personal.includes(k))) };
}

const batchMs = Number(process.argv[2] ?? 0);
const epoch = randomBytes(4).toString('hex'); // as long as the api's stream epoch
const rooms = new Map<string, Set<WebSocket>>();
let seq = 0;
let pending: PostedEvent[] = [];
const sent = { messages: 0, bytes: 0, deliveries: 0 };

function broadcast(events: PostedEvent[]): void {
  const byRoom = new Map<string, object[]>();
  for (const e of events) {
    const n = ++seq;
    const unitPath = e.unit === PROVINCE_CODE ? [PROVINCE_CODE] : [PROVINCE_CODE, e.unit];
    const live = { ...withoutPersonalFields(e), seq: n, unitPath, cursor: `${epoch}:${Date.now()}-${n}` };
    for (const code of unitPath) {
      const list = byRoom.get(code);
      if (list) list.push(live);
      else byRoom.set(code, [live]);
    }
  }
  for (const [code, list] of byRoom) {
    const clients = rooms.get(code);
    if (!clients?.size) continue;
    const data = JSON.stringify({ events: list });
    for (const client of clients) client.send(data);
    sent.messages += clients.size;
    sent.bytes += clients.size * Buffer.byteLength(data);
    sent.deliveries += clients.size * list.length;
  }
}

function accept(events: PostedEvent[]): void {
  if (batchMs > 0) pending.push(...events);
  else broadcast(events);
}

function handlePost(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let events: PostedEvent[];
    try {
      events = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: PostedEvent[] }).events;
      if (!Array.isArray(events)) throw new Error('events: expected an array');
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (err as Error).message }));
      return;
    }
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: events.length }));
    accept(events);
  });
}

const server = createServer((req, res) => {
  if (req.method === 'POST') handlePost(req, res);
  else res.writeHead(404).end();
});
const wss = new WebSocketServer({ server });
wss.on('connection', (socket, req) => {
  const unit = new URL(req.url ?? '/', 'http://raw').searchParams.get('unit') ?? PROVINCE_CODE;
  let room = rooms.get(unit);
  if (!room) rooms.set(unit, (room = new Set()));
  room.add(socket);
  socket.on('close', () => room.delete(socket));
});

if (batchMs > 0) {
  setInterval(() => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    broadcast(batch);
  }, batchMs);
}

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') process.send!({ type: 'stats', ...sent } satisfies RawBroadcastMessage);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send!({ type: 'listening', port: address.port } satisfies RawBroadcastMessage);
});
