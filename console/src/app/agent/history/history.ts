import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import {
  type ChannelType,
  HistoryDetailDocument,
  type HistoryDetailQuery,
  HistoryPageDocument,
  type HistoryPageQuery,
} from '../../graphql/generated';
import { CursorPages } from '../../shared/cursor-pages';
import { errorMessage } from '../../shared/errors';

type Row = HistoryPageQuery['history']['nodes'][number];
type Messages = NonNullable<HistoryDetailQuery['historyConversation']['conversation']>['messages'];
const PAGE = 25;

/** HIS-1 (Agent Mode): the conversations I served, closed, newest first; filters on the server. */
@Component({
  selector: 'app-history',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    TranslocoDirective,
  ],
  templateUrl: './history.html',
  styleUrl: './history.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class History {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);

  protected readonly columns = ['customer', 'started', 'closed', 'agents', 'tags', 'rating', 'channel'];
  protected readonly channels: ChannelType[] = ['WEB', 'APP', 'WECHAT', 'WEIBO'];
  protected readonly rows = signal<Row[]>([]);
  protected readonly total = signal(0);
  protected readonly loading = signal(false);
  protected readonly page = signal(0);
  private readonly pager = new CursorPages();
  protected readonly selected = signal<{ row: Row; messages: Messages } | null>(null);
  protected customer = '';
  protected channel: ChannelType | null = null;
  protected from = '';
  protected to = '';
  protected transferred: boolean | null = null;

  constructor() {
    void this.load();
  }

  protected search(): void {
    this.pager.reset();
    this.page.set(0);
    void this.load();
  }

  protected go(delta: number): void {
    this.pager.move(delta);
    this.page.set(this.pager.page);
    void this.load();
  }

  protected pages(): number {
    return CursorPages.count(this.total(), PAGE);
  }

  private async load(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: HistoryPageDocument,
          variables: {
            first: PAGE,
            after: this.pager.after,
            filter: {
              customer: this.customer.trim() || null,
              channel: this.channel,
              transferred: this.transferred,
              startedFrom: this.from ? new Date(`${this.from}T00:00:00`).toISOString() : null,
              startedTo: this.to ? new Date(`${this.to}T23:59:59.999`).toISOString() : null,
            },
          },
          fetchPolicy: 'network-only',
        }),
      );
      const conn = res.data!.history;
      this.pager.ended(conn.pageInfo.endCursor);
      this.rows.set(conn.nodes);
      this.total.set(conn.totalCount);
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    } finally {
      this.loading.set(false);
    }
  }

  protected async open(row: Row): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: HistoryDetailDocument, variables: { id: row.id }, fetchPolicy: 'network-only' }),
      );
      this.selected.set({ row, messages: res.data!.historyConversation.conversation?.messages ?? [] });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  protected name(r: Row): string {
    return r.customer.nickname || r.customer.realName || r.customer.externalId;
  }

  protected agents(r: Row): string {
    return r.agents.map((a) => a.nickname).join(', ');
  }

  protected stars(n: number | null | undefined): string {
    return n ? '★'.repeat(n) + '☆'.repeat(5 - n) : '';
  }
}
