import { computed, signal } from '@angular/core';
import { CursorPages } from './cursor-pages';

/** The part of a Relay connection a paged list reads. */
export interface PageOf<N> {
  nodes: readonly N[];
  totalCount: number;
  pageInfo: { endCursor?: string | null };
}

export interface PagedListOptions<N, R> {
  size: number;
  /** Reads one page: the component's own query with its filters. */
  fetch: (page: { first: number; after: string | null }) => Promise<PageOf<N>>;
  /** Turns a node into the row the page shows (the node itself by default). */
  map?: (node: N) => R;
  /** A page could not be read (the component says so, e.g. in a snack bar). */
  failed: (error: unknown) => void;
}

/**
 * A list paged on the server: its rows, total, page number and loading state, for a table and its
 * `app-pager`. The newest load wins: an answer that arrives after a later request (a filter typed
 * on, a live change) is dropped. A page that live changes emptied steps back to the last page with
 * rows.
 */
export class PagedList<N, R = N> {
  readonly rows = signal<R[]>([]);
  readonly total = signal(0);
  readonly loading = signal(false);
  readonly page = signal(0);
  readonly pages = computed(() => CursorPages.count(this.total(), this.options.size));
  private readonly pager = new CursorPages();
  private latest = 0;

  constructor(private readonly options: PagedListOptions<N, R>) {}

  /** Reads the first page again (after the filters changed). */
  restart(): Promise<void> {
    this.pager.reset();
    this.page.set(0);
    return this.load();
  }

  /** Moves `delta` pages and reads that page. */
  go(delta: number): Promise<void> {
    this.pager.move(delta);
    this.page.set(this.pager.page);
    return this.load();
  }

  /** Reads the current page again. */
  async load(): Promise<void> {
    const request = ++this.latest;
    this.loading.set(true);
    try {
      const conn = await this.options.fetch({ first: this.options.size, after: this.pager.after });
      if (request !== this.latest) return;
      if (conn.nodes.length === 0 && this.pager.page > 0) {
        await this.go(-1);
        return;
      }
      this.pager.ended(conn.pageInfo.endCursor);
      const map = this.options.map ?? ((node: N) => node as unknown as R);
      this.rows.set(conn.nodes.map(map));
      this.total.set(conn.totalCount);
    } catch (e) {
      if (request === this.latest) this.options.failed(e);
    } finally {
      if (request === this.latest) this.loading.set(false);
    }
  }
}
