import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const API_DIST = join(REPO_ROOT, 'api/dist/api/src');
const MAIN_JS = join(API_DIST, 'main.js');

const READY_TIMEOUT_MS = 120_000; // a fresh database runs every migration and seeds the demo tenant first
const STOP_TIMEOUT_MS = 25_000; // the server gives itself 20 s to drain before exiting on its own
const OUTPUT_LINES_KEPT = 40;

/** Compiles the API when its build is missing or older than its sources (BENCH_SKIP_BUILD=true uses it as is). */
export function ensureApiBuilt({ skip }) {
  const reason = buildReason();
  if (!reason || (skip && reason !== 'missing')) return reason ? `${reason}, kept (BENCH_SKIP_BUILD)` : 'up to date';
  process.stdout.write(`Building the API (${reason}) ...\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build', '-w', 'api'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 600_000 });
  if (built.status !== 0 || !existsSync(MAIN_JS)) {
    throw new Error(
      `npm run build -w api failed (BENCH_SKIP_BUILD=true benchmarks the existing build as it is):\n` +
        `${built.stdout ?? ''}${built.stderr ?? ''}${built.error ?? ''}`,
    );
  }
  return `built (${reason})`;
}

function buildReason() {
  if (!existsSync(MAIN_JS)) return 'missing';
  const builtAt = statSync(MAIN_JS).mtimeMs;
  const sources = [join(REPO_ROOT, 'api/src'), join(REPO_ROOT, 'migrations')];
  return sources.some((dir) => newestMtime(dir) > builtAt) ? 'sources changed' : null;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node api/dist/api/src/main.js` on 127.0.0.1 with the given environment overrides and
 * resolves once /readyz answers 200. The returned handle's `stop()` is safe to call more than once.
 */
export async function startServer(name, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepTail(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const server = {
    name,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () => stopChild(child, exited),
  };
  try {
    await waitReady(server.url, exited, output);
  } catch (e) {
    await server.stop();
    throw new Error(`server ${name} did not become ready: ${e.message}\n--- its last output ---\n${output.join('')}`, {
      cause: e,
    });
  }
  return server;
}

// The last lines of the server's output, shown when it fails to start.
function keepTail(child) {
  const lines = [];
  const keep = (chunk) => {
    lines.push(String(chunk));
    if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return lines;
}

async function waitReady(url, exited, output) {
  let status = 'not started';
  const stopped = exited.then((how) => {
    status = `exited (${how})`;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (status.startsWith('exited')) throw new Error(status);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
      status = `readyz ${res.status}`;
    } catch {
      // Not listening yet.
    }
    await Promise.race([sleep(250), stopped]);
  }
  throw new Error(`timed out after ${READY_TIMEOUT_MS / 1000} s (${status}; ${output.length} output chunks)`);
}

async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timedOut = Symbol('timeout');
  // Unref'd timers: a server that exits in time must not keep the benchmark alive until they fire.
  if ((await Promise.race([exited, sleep(STOP_TIMEOUT_MS, timedOut, { ref: false })])) !== timedOut) return;
  child.kill('SIGKILL');
  await Promise.race([exited, sleep(5_000, undefined, { ref: false })]);
}
