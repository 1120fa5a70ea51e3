import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { within } from './limit.mjs';
import { startNode } from './processes.mjs';
import { openFds, rssBytes } from './proc-stats.mjs';

const CHILD_JS = fileURLToPath(new URL('./idle-clients.mjs', import.meta.url));
const CONNECT_CONCURRENCY = 50; // per child: the server's accept backlog and the login checks stay comfortable
const SETTLE_MS = 3_000; // lets the server finish what the connections started before its memory is read
const LIVE_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 60_000;

/**
 * Holds `total` idle graphql-ws connections (each with one live subscription) to the server from
 * child processes of at most `perChild` each, and reads the server's RSS and open file descriptors
 * before, with and after them. `probe()` sends one message into each of `conversations` and resolves
 * to whether all arrived at the agents: used to show the idle subscriptions are live, and that the
 * server still works after they closed.
 */
export async function measureIdleConnections({ cleanup, server, token, conversations, total, perChild, probe, log }) {
  await sleep(SETTLE_MS);
  const before = snapshot(server.pid);
  const started = performance.now();
  const children = spawnChildren({ cleanup, server, token, conversations, total, perChild });
  const ready = await collect(children, 'ready', openTimeoutMs(total), (counts) =>
    log(`  idle connections: ${counts.subscribed} live, ${counts.failed} failed of ${total}`),
  );
  const openSeconds = (performance.now() - started) / 1000;
  await sleep(SETTLE_MS);
  const held = snapshot(server.pid);

  const probeWhileHeld = await probe('idle: live check');
  for (const child of children) child.child.send({ type: 'check-live', timeoutMs: LIVE_TIMEOUT_MS });
  const live = await collect(children, 'live', LIVE_TIMEOUT_MS + 10_000);

  for (const child of children) child.child.send({ type: 'close' });
  const closed = await collect(children, 'closed', CLOSE_TIMEOUT_MS);
  await Promise.all(children.map((c) => within(c.exited, 10_000, `${c.name} did not exit`)));
  const after = await settledAfterClose(server.pid, before.fds);
  const health = await checkHealth(server, probe);

  const bytesPerConnection = ready.subscribed ? (held.rss - before.rss) / ready.subscribed : null;
  const result = {
    connections: total,
    processes: children.length,
    openSeconds: round(openSeconds),
    acknowledged: ready.acknowledged,
    subscribed: ready.subscribed,
    failed: ready.failed,
    errorSamples: ready.errorSamples,
    liveAfterBroadcast: live.live,
    droppedWhileHeld: live.droppedLater,
    repeatedDeliveries: live.repeats,
    probeWhileHeld,
    rssBytes: { before: before.rss, held: held.rss, afterClose: after.rss },
    openFds: { before: before.fds, held: held.fds, afterClose: after.fds },
    rssPerConnectionKiB: bytesPerConnection === null ? null : round(bytesPerConnection / 1024),
    closedByClients: closed.closed,
    health,
  };
  const ok =
    result.acknowledged === total &&
    result.subscribed === total &&
    result.liveAfterBroadcast === total &&
    result.droppedWhileHeld === 0 &&
    result.repeatedDeliveries === 0 &&
    probeWhileHeld &&
    health.ok;
  return { ...result, verdict: ok ? 'PASS' : 'FAIL' };
}

function spawnChildren({ cleanup, server, token, conversations, total, perChild }) {
  const children = [];
  for (let offset = 0; offset < total; offset += perChild) {
    const count = Math.min(perChild, total - offset);
    const config = {
      url: `${server.url.replace(/^http/, 'ws')}/graphql`,
      token,
      count,
      conversations,
      concurrency: CONNECT_CONCURRENCY,
    };
    const child = startNode(`idle clients ${children.length + 1}`, CHILD_JS, {
      args: [JSON.stringify(config)],
      ipc: true,
    });
    cleanup.defer(`${child.name} (pid ${child.pid})`, () => child.stop());
    child.messages = [];
    child.child.on('message', (m) => child.messages.push(m));
    children.push(child);
  }
  return children;
}

/** Waits for a message of `type` from every child and sums their counters. */
async function collect(children, type, timeoutMs, onProgress) {
  const deadline = performance.now() + timeoutMs;
  let lastProgress = 0;
  for (;;) {
    const dead = children.find((c) => c.child.exitCode !== null && !c.messages.some((m) => m.type === type));
    if (dead) throw new Error(`${dead.name} exited early:\n${dead.output.join('')}`);
    const got = children.map((c) => c.messages.findLast((m) => m.type === type));
    if (got.every(Boolean)) return sum(got);
    if (performance.now() > deadline) throw new Error(`idle clients: no "${type}" within ${timeoutMs / 1000} s`);
    if (onProgress && performance.now() - lastProgress > 5_000) {
      lastProgress = performance.now();
      onProgress(sum(children.map((c) => c.messages.findLast((m) => m.type === 'progress') ?? NO_PROGRESS)));
    }
    await sleep(100);
  }
}

function sum(reports) {
  const total = { errorSamples: [] };
  for (const report of reports) {
    for (const [key, value] of Object.entries(report)) {
      if (typeof value === 'number') total[key] = (total[key] ?? 0) + value;
      if (key === 'errorSamples') total.errorSamples.push(...value);
    }
  }
  return total;
}

function snapshot(pid) {
  return { rss: rssBytes(pid), fds: openFds(pid) };
}

// The server closes its side of each socket a moment after the clients did.
async function settledAfterClose(pid, fdsBefore) {
  const deadline = performance.now() + 15_000;
  while (openFds(pid) > fdsBefore + 20 && performance.now() < deadline) await sleep(200);
  await sleep(SETTLE_MS);
  return snapshot(pid);
}

async function checkHealth(server, probe) {
  let readyz;
  try {
    readyz = (await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5_000) })).status;
  } catch (e) {
    readyz = `unreachable: ${e instanceof Error ? e.message : e}`;
  }
  const delivered = readyz === 200 ? await probe('idle: health after close') : false;
  return { readyz, probeDelivered: delivered, ok: readyz === 200 && delivered };
}

// Generous: each subscription costs the server a few queries; 10,000 take well under a minute here.
const openTimeoutMs = (total) => 60_000 + total * 20;

const NO_PROGRESS = { subscribed: 0, failed: 0 };

const round = (n) => Math.round(n * 10) / 10;
