/**
 * Page numbers over a Relay connection: cursors are opaque, so the `after` of page n is the
 * `endCursor` the server gave for page n - 1.
 */
export class CursorPages {
  private cursors: (string | null)[] = [null];
  page = 0;

  /** The `after` argument for the current page. */
  get after(): string | null {
    return this.cursors[this.page] ?? null;
  }

  /** Records where the current page ended. */
  ended(endCursor: string | null | undefined): void {
    this.cursors[this.page + 1] = endCursor ?? null;
  }

  move(delta: number): void {
    this.page = Math.max(0, this.page + delta);
  }

  reset(): void {
    this.cursors = [null];
    this.page = 0;
  }

  static count(total: number, size: number): number {
    return Math.max(1, Math.ceil(total / size));
  }
}
