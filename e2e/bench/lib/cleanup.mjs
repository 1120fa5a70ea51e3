/**
 * Everything the benchmark starts registers how to stop it here; `run()` undoes it in reverse
 * order (servers before the database they use) exactly once, whether the run ended, failed or was interrupted.
 */
export class Cleanup {
  #steps = [];
  #running = null;

  defer(label, fn) {
    this.#steps.push({ label, fn });
  }

  run() {
    this.#running ??= this.#runAll();
    return this.#running;
  }

  async #runAll() {
    while (this.#steps.length) {
      const { label, fn } = this.#steps.pop();
      try {
        await fn();
      } catch (e) {
        process.stderr.write(`cleanup: could not stop ${label}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }
}
