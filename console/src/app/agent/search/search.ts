import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { SearchPageDocument, type SearchPageQuery } from '../../graphql/generated';
import { errorMessage } from '../../shared/errors';

type Hit = SearchPageQuery['searchMessages']['nodes'][number];
interface Part {
  text: string;
  mark: boolean;
}

/** HIS-2 (Agent Mode): keyword search over my conversations' messages, last 30 days by default. */
@Component({
  selector: 'app-search',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    TranslocoDirective,
  ],
  templateUrl: './search.html',
  styleUrl: './search.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Search {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);

  protected keyword = '';
  protected from = '';
  protected to = '';
  protected readonly hits = signal<{ hit: Hit; parts: Part[] }[]>([]);
  protected readonly total = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly hasMore = signal(false);
  private cursor: string | null = null;

  protected async search(reset = true): Promise<void> {
    const keyword = this.keyword.trim();
    if (!keyword) return;
    if (reset) this.cursor = null;
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: SearchPageDocument,
          variables: {
            keyword,
            first: 30,
            after: this.cursor,
            filter: {
              from: this.from ? new Date(`${this.from}T00:00:00`).toISOString() : null,
              to: this.to ? new Date(`${this.to}T23:59:59.999`).toISOString() : null,
            },
          },
          fetchPolicy: 'network-only',
        }),
      );
      const conn = res.data!.searchMessages;
      const found = conn.nodes.map((hit) => ({ hit, parts: split(hit.message.text ?? '', hit.highlights) }));
      this.hits.update((list) => (reset ? found : [...list, ...found]));
      this.total.set(conn.totalCountCapped ? `${conn.totalCount}+` : String(conn.totalCount));
      this.cursor = conn.pageInfo.endCursor ?? null;
      this.hasMore.set(conn.pageInfo.hasNextPage);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }
}

// The message text cut at the highlights: rendered as text nodes, never as HTML.
function split(text: string, ranges: readonly { start: number; length: number }[]): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start < at) continue;
    if (r.start > at) parts.push({ text: text.slice(at, r.start), mark: false });
    parts.push({ text: text.slice(r.start, r.start + r.length), mark: true });
    at = r.start + r.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return parts;
}
