import { signal } from '@angular/core';
import { errorMessage } from './errors';

/**
 * A value read from the server again and again (a search typed on, another customer opened),
 * where only the newest read counts: an answer that a later read overtook is dropped, so a slow
 * earlier search never overwrites a newer one.
 */
export class LatestRead<T> {
  readonly value;
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  private latest = 0;

  constructor(initial: T) {
    this.value = signal<T>(initial);
  }

  async run(read: () => Promise<T>): Promise<void> {
    const request = ++this.latest;
    this.loading.set(true);
    try {
      const value = await read();
      if (request !== this.latest) return;
      this.value.set(value);
      this.error.set(null);
    } catch (e) {
      if (request === this.latest) this.error.set(errorMessage(e));
    } finally {
      if (request === this.latest) this.loading.set(false);
    }
  }
}
