import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { nowMs } from './delivery-ledger.mjs';
import { jsonPoster, parseOk } from './http-post.mjs';
import { mapLimit, within } from './limit.mjs';
import { startNode, waitHttpOk } from './processes.mjs';
import { freePort } from './servers.mjs';

const SERVER_JS = fileURLToPath(new URL('../baseline/server.mjs', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const SETUP_CONCURRENCY = 8;

/**
 * The baseline side of the workload: its own database next to Parley's (dropped by `cleanup`),
 * the bare server of baseline/server.mjs, `conversations` conversations and `sockets` subscriber
 * sockets, conversation i on socket i % sockets — the same shape as Parley's agents.
 */
export async function setupBaseline({ cleanup, adminUrl, conversations, sockets, ledger, maxInFlight }) {
  const databaseUrl = await createDatabase(cleanup, adminUrl);
  const port = await freePort();
  const server = startNode('baseline server', SERVER_JS, {
    env: { DATABASE_URL: databaseUrl, PORT: String(port), POOL_MAX: '20' },
  });
  cleanup.defer(`baseline server (pid ${server.pid})`, () => server.stop());
  const url = `http://127.0.0.1:${port}`;
  await waitHttpOk(`${url}/healthz`, server, READY_TIMEOUT_MS);

  const poster = jsonPoster(url, maxInFlight);
  const ids = await mapLimit(Array.from({ length: conversations }), SETUP_CONCURRENCY, async () => {
    return parseOk(await poster.post('/conversations', {})).id;
  });
  const index = new Map(ids.map((id, i) => [id, i]));
  ids.forEach((_, i) => ledger.expectFrom(i, 1));
  const problems = [];
  const subscribers = await mapLimit(Array.from({ length: sockets }), SETUP_CONCURRENCY, (_, s) =>
    subscribe(
      url,
      ids.filter((_, i) => i % sockets === s),
      index,
      ledger,
      problems,
    ),
  );

  return {
    name: 'baseline',
    pid: server.pid,
    databaseName: new URL(databaseUrl).pathname.slice(1),
    conversations,
    problems,
    send: async (conversation, text) =>
      parseOk(await poster.post('/send', { conversationId: ids[conversation], text })),
    close: async () => {
      poster.close();
      for (const s of subscribers) s.close();
      await server.stop();
    },
  };
}

async function createDatabase(cleanup, adminUrl) {
  const name = `parley_bench_base_${randomBytes(4).toString('hex')}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  cleanup.defer(`database ${name}`, () => admin(`drop database if exists "${name}" with (force)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One subscriber socket; resolves once the server confirmed the subscriptions. */
async function subscribe(url, ids, index, ledger, problems) {
  let closing = false;
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/subscribe?conversations=${ids.join(',')}`);
  const ready = new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before it was ready')));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'ready') return resolve();
      ledger.received(index.get(message.conversationId), message.seq, message.text, nowMs());
    });
  });
  socket.on('close', () => {
    if (!closing) problems.push('baseline subscriber socket closed');
  });
  await within(ready, READY_TIMEOUT_MS, 'the baseline subscriber socket was not ready in time');
  return {
    close: () => {
      closing = true;
      socket.close();
    },
  };
}
