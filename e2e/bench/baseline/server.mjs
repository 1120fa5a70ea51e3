// The practical limit of this machine for the messaging workload: plain `http` + `pg` + `ws`, no
// GraphQL, no ORM, no authentication. Each message is one transaction (row lock on the conversation,
// insert with the next seq, commit) followed by a broadcast to the sockets subscribed to the
// conversation. Used by messages.bench.mjs; see ../README.md.
//
//   POST /conversations                      -> {"id": "<uuid>"}
//   POST /send {conversationId, text}        -> {"id": "<uuid>", "seq": n}
//   GET  /healthz                            -> {"status": "ok"}
//   WS   /subscribe?conversations=<id>,<id>  -> {"type": "ready"}, then one JSON message per stored message
//
// Environment: DATABASE_URL (its own database; the tables are created at start), PORT, POOL_MAX.
import { createServer } from 'node:http';
import pg from 'pg';
import { WebSocketServer } from 'ws';

const MAX_BODY_BYTES = 64 * 1024;

const pool = new pg.Pool({
  connectionString: required('DATABASE_URL'),
  // Parley's default pool size, so that both servers get the same share of PostgreSQL.
  max: Number(process.env.POOL_MAX ?? 20),
});

// Same shape as Parley's conversation and message tables, minus what this workload does not touch.
const SCHEMA = `
  create table if not exists conversation (
    id uuid primary key default gen_random_uuid(),
    created_at timestamptz not null default now(),
    last_seq int not null default 0,
    last_message_at timestamptz null
  );
  create table if not exists message (
    id uuid primary key default gen_random_uuid(),
    created_at timestamptz not null default now(),
    conversation_id uuid not null references conversation (id),
    seq int not null,
    text text not null,
    unique (conversation_id, seq)
  )`;

/** conversation id -> its subscribed sockets */
const subscribers = new Map();
/** conversation id -> { next: seq to broadcast next, held: seq -> serialized message } */
const outbox = new Map();

async function createConversation() {
  const { rows } = await pool.query('insert into conversation default values returning id');
  outbox.set(rows[0].id, { next: 1, held: new Map() });
  return { id: rows[0].id };
}

async function send({ conversationId, text }) {
  if (typeof conversationId !== 'string' || typeof text !== 'string' || !text) {
    throw new HttpError(400, 'conversationId and text are required');
  }
  const client = await pool.connect();
  let message;
  try {
    await client.query('begin');
    const locked = await client.query('select last_seq from conversation where id = $1 for update', [conversationId]);
    if (!locked.rows.length) throw new HttpError(404, 'no such conversation');
    const seq = locked.rows[0].last_seq + 1;
    const inserted = await client.query(
      'insert into message (conversation_id, seq, text) values ($1, $2, $3) returning id, created_at',
      [conversationId, seq, text],
    );
    await client.query('update conversation set last_seq = $2, last_message_at = $3 where id = $1', [
      conversationId,
      seq,
      inserted.rows[0].created_at,
    ]);
    await client.query('commit');
    message = { id: inserted.rows[0].id, conversationId, seq, text, createdAt: inserted.rows[0].created_at };
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  publish(message);
  return { id: message.id, seq: message.seq };
}

// Commits of one conversation can complete in one order and reach this process in another: hold a
// message until its predecessors went out, so that subscribers get every seq once and in order.
function publish(message) {
  const box = outbox.get(message.conversationId);
  if (!box) return broadcast(message.conversationId, JSON.stringify(message));
  box.held.set(message.seq, JSON.stringify(message));
  while (box.held.has(box.next)) {
    broadcast(message.conversationId, box.held.get(box.next));
    box.held.delete(box.next);
    box.next += 1;
  }
}

function broadcast(conversationId, data) {
  for (const socket of subscribers.get(conversationId) ?? []) socket.send(data);
}

function subscribe(socket, conversationIds) {
  for (const id of conversationIds) {
    if (!subscribers.has(id)) subscribers.set(id, new Set());
    subscribers.get(id).add(socket);
  }
  socket.on('close', () => {
    for (const id of conversationIds) subscribers.get(id)?.delete(socket);
  });
  socket.send(JSON.stringify({ type: 'ready', conversations: conversationIds.length }));
}

// ── HTTP plumbing ─────────────────────────────────────────────────────────────

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const routes = {
  'POST /conversations': () => createConversation(),
  'POST /send': (body) => send(body),
  'GET /healthz': () => ({ status: 'ok' }),
};

async function handle(req, res) {
  const route = routes[`${req.method} ${new URL(req.url, 'http://localhost').pathname}`];
  try {
    if (!route) throw new HttpError(404, 'not found');
    const result = await route(req.method === 'POST' ? await readJson(req) : undefined);
    reply(res, 200, result);
  } catch (e) {
    reply(res, e instanceof HttpError ? e.status : 500, { error: e instanceof Error ? e.message : String(e) });
  }
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'body too large'));
      else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch {
        reject(new HttpError(400, 'body is not JSON'));
      }
    });
  });
}

function reply(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main() {
  await pool.query(SCHEMA);
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 60_000;
  const sockets = new WebSocketServer({ server, path: '/subscribe' });
  sockets.on('connection', (socket, req) => {
    const ids = new URL(req.url, 'http://localhost').searchParams.get('conversations') ?? '';
    subscribe(socket, ids.split(',').filter(Boolean));
  });
  const port = Number(process.env.PORT ?? 0);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`baseline listening on http://127.0.0.1:${server.address().port}\n`);

  const stop = () => {
    for (const socket of sockets.clients) socket.terminate();
    sockets.close();
    server.closeAllConnections();
    server.close(() => void pool.end().finally(() => process.exit(0)));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
