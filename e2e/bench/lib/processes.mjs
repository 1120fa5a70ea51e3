import { fork, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_LINES_KEPT = 40;

/**
 * Runs `node <script>` as a child process. With `ipc`, the child gets a message channel (fork).
 * The handle's `stop()` sends SIGTERM, then SIGKILL if the child has not exited in time; it is safe
 * to call more than once. `output` keeps the child's last lines, to explain a failure.
 */
export function startNode(name, script, { env = {}, args = [], ipc = false } = {}) {
  const options = { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])] };
  const child = ipc ? fork(script, args, options) : spawn(process.execPath, [script, ...args], options);
  const output = [];
  const keep = (chunk) => {
    output.push(String(chunk));
    if (output.length > OUTPUT_LINES_KEPT) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return { name, pid: child.pid, child, output, exited, stop: () => stopChild(child, exited) };
}

async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timedOut = Symbol('timeout');
  // Unref'd timers: a child that exits in time must not keep the benchmark alive until they fire.
  if ((await Promise.race([exited, sleep(STOP_TIMEOUT_MS, timedOut, { ref: false })])) !== timedOut) return;
  child.kill('SIGKILL');
  await Promise.race([exited, sleep(5_000, undefined, { ref: false })]);
}

/** Resolves once `url` answers 200; rejects when the process exits first or the time is up. */
export async function waitHttpOk(url, handle, timeoutMs) {
  let exited = null;
  void handle.exited.then((how) => (exited = how));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${handle.name} exited (${exited}):\n${handle.output.join('')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${handle.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${handle.output.join('')}`);
}
