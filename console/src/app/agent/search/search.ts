import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoDirective } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  type ChannelType,
  SearchConversationDocument,
  type SearchConversationQuery,
  SearchPageDocument,
  type SearchPageQuery,
} from '../../graphql/generated';
import { routeMode } from '../../shared/console-mode';
import { errorMessage } from '../../shared/errors';
import { type ChannelAccountOption, type ConversationTagOption, FilterOptions } from '../../shared/filter-options';

type Hit = SearchPageQuery['searchMessages']['nodes'][number];
type Opened = { hit: Hit; conversation: SearchConversationQuery['conversation'] };
// Messages shown before the hit when a conversation opens at it.
const CONTEXT = 10;
interface Part {
  text: string;
  mark: boolean;
}

/**
 * HIS-2: keyword search over messages, last 30 days by default. Agent Mode: my conversations.
 * Admin Mode (route data `mode: 'ADMIN'`): every conversation the role's scopes show, with the
 * channel, channel account and tag filters.
 */
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
    MatSelectModule,
    TranslocoDirective,
  ],
  templateUrl: './search.html',
  styleUrl: './search.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Search {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly session = inject(Session);
  private readonly options = inject(FilterOptions);

  protected readonly mode = routeMode();
  protected readonly admin = this.mode === 'ADMIN';
  protected readonly canPickAccounts = this.session.has('ADMIN_ACCESS');
  protected readonly channels: ChannelType[] = ['WEB', 'APP', 'WECHAT', 'WEIBO'];
  protected readonly tagOptions = signal<ConversationTagOption[]>([]);
  protected readonly accountOptions = signal<ChannelAccountOption[]>([]);
  protected channel: ChannelType | null = null;
  protected channelAccountId: string | null = null;
  protected tagIds: string[] = [];
  protected keyword = '';
  protected from = '';
  protected to = '';
  protected readonly hits = signal<{ hit: Hit; parts: Part[] }[]>([]);
  protected readonly total = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly hasMore = signal(false);
  protected readonly opened = signal<Opened | null>(null);
  private cursor: string | null = null;

  constructor() {
    if (this.admin) void this.loadOptions();
  }

  protected async search(reset = true): Promise<void> {
    const keyword = this.keyword.trim();
    if (!keyword) return;
    if (reset) {
      this.cursor = null;
      this.opened.set(null);
    }
    this.loading.set(true);
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: SearchPageDocument,
          variables: {
            keyword,
            first: 30,
            after: this.cursor,
            mode: this.mode,
            filter: {
              from: this.from ? new Date(`${this.from}T00:00:00`).toISOString() : null,
              to: this.to ? new Date(`${this.to}T23:59:59.999`).toISOString() : null,
              ...(this.admin
                ? {
                    channel: this.channel,
                    channelAccountId: this.channelAccountId,
                    tagIds: this.tagIds.length ? this.tagIds : null,
                  }
                : {}),
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

  /** Opens the hit's conversation at the hit (as `conversation(id)` allows), or closes it again. */
  protected async open(hit: Hit): Promise<void> {
    if (this.opened()?.hit.message.id === hit.message.id) {
      this.opened.set(null);
      return;
    }
    try {
      const res = await firstValueFrom(
        this.apollo.query({
          query: SearchConversationDocument,
          variables: { id: hit.conversationId, afterSeq: Math.max(0, hit.message.seq - CONTEXT - 1) },
          fetchPolicy: 'network-only',
        }),
      );
      this.opened.set({ hit, conversation: res.data!.conversation });
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  private async loadOptions(): Promise<void> {
    try {
      this.tagOptions.set(await this.options.conversationTags());
      if (this.canPickAccounts) this.accountOptions.set(await this.options.channelAccounts());
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
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
