import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  untracked,
} from '@angular/core';
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
import { TranslocoDirective, TranslocoService } from '@jsverse/transloco';
import { Apollo } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { Session } from '../../core/auth/session';
import {
  type ChannelType,
  HistoryDetailDocument,
  HistoryLinkedDocument,
  type HistoryDetailQuery,
  HistoryPageDocument,
  type HistoryPageQuery,
} from '../../graphql/generated';
import { routeMode } from '../../shared/console-mode';
import { PagedList } from '../../shared/paged-list';
import { Pager } from '../../shared/pager';
import { errorCode, errorMessage } from '../../shared/errors';
import { type ChannelAccountOption, type ConversationTagOption, FilterOptions } from '../../shared/filter-options';
import { type Picked, Picker } from '../../shared/picker/picker';

type Row = HistoryPageQuery['history']['nodes'][number];
type Messages = NonNullable<HistoryDetailQuery['historyConversation']['conversation']>['messages'];
const PAGE = 25;

/**
 * HIS-1: closed conversations, newest first, filtered on the server. Agent Mode: the ones I served.
 * Admin Mode (route data `mode: 'ADMIN'`): all within the role's history scope, with the filters
 * on agent, team, tags and channel account that only make sense there.
 */
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
    Picker,
    Pager,
    TranslocoDirective,
  ],
  templateUrl: './history.html',
  styleUrl: './history.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class History {
  private readonly apollo = inject(Apollo);
  private readonly snack = inject(MatSnackBar);
  private readonly session = inject(Session);
  private readonly options = inject(FilterOptions);

  protected readonly mode = routeMode();
  protected readonly admin = this.mode === 'ADMIN';
  // The pickers read the user and team lists, which need one of these pages.
  protected readonly canPickPeople = this.session.has('ADMIN_USERS') || this.session.has('ADMIN_TEAMS');
  protected readonly canPickAccounts = this.session.has('ADMIN_ACCESS');
  protected readonly columns = this.admin
    ? ['customer', 'started', 'closed', 'agents', 'team', 'tags', 'rating', 'channel']
    : ['customer', 'started', 'closed', 'agents', 'tags', 'rating', 'channel'];
  protected readonly channels: ChannelType[] = ['WEB', 'APP', 'WECHAT', 'WEIBO'];
  protected readonly list = new PagedList<Row>({
    size: PAGE,
    fetch: async (page) => {
      const res = await firstValueFrom(
        this.apollo.query({
          query: HistoryPageDocument,
          variables: {
            ...page,
            mode: this.mode,
            filter: {
              customer: this.customer.trim() || null,
              channel: this.channel,
              transferred: this.transferred,
              startedFrom: this.from ? new Date(`${this.from}T00:00:00`).toISOString() : null,
              startedTo: this.to ? new Date(`${this.to}T23:59:59.999`).toISOString() : null,
              ...(this.admin
                ? {
                    agentId: this.agent()[0]?.id ?? null,
                    teamId: this.team()[0]?.id ?? null,
                    tagIds: this.tagIds.length ? this.tagIds : null,
                    channelAccountId: this.channelAccountId,
                  }
                : {}),
            },
          },
          fetchPolicy: 'network-only',
        }),
      );
      return res.data!.history;
    },
    failed: (e) => this.snack.open(errorMessage(e), 'OK'),
  });
  protected readonly selected = signal<{ row: Row; messages: Messages } | null>(null);
  protected customer = '';
  protected channel: ChannelType | null = null;
  protected from = '';
  protected to = '';
  protected transferred: boolean | null = null;
  protected readonly agent = signal<readonly Picked[]>([]);
  protected readonly team = signal<readonly Picked[]>([]);
  protected tagIds: string[] = [];
  protected channelAccountId: string | null = null;
  protected readonly tagOptions = signal<ConversationTagOption[]>([]);
  protected readonly accountOptions = signal<ChannelAccountOption[]>([]);

  /** `/history/<id>` (a link to a conversation no longer ongoing): its detail, read-only. */
  readonly id = input<string | null>(null);
  private readonly transloco = inject(TranslocoService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  constructor() {
    void this.list.load();
    effect(() => {
      const id = this.id();
      if (id) untracked(() => void this.openById(id));
    });
    if (this.admin) void this.loadOptions();
  }

  protected search(): void {
    void this.list.restart();
  }

  private async loadOptions(): Promise<void> {
    try {
      this.tagOptions.set(await this.options.conversationTags());
      if (this.canPickAccounts) this.accountOptions.set(await this.options.channelAccounts());
    } catch (e) {
      this.snack.open(errorMessage(e), 'OK');
    }
  }

  private async openById(id: string): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.apollo.query({ query: HistoryLinkedDocument, variables: { id }, fetchPolicy: 'network-only' }),
      );
      const { conversation, ...row } = res.data!.historyConversation;
      this.selected.set({ row, messages: conversation?.messages ?? [] });
      // The detail sits below the table: bring it into view.
      afterNextRender(() => this.host.nativeElement.querySelector('.detail')?.scrollIntoView(), {
        injector: this.injector,
      });
    } catch (e) {
      // Still ongoing with someone else, deleted, or not one this user may see: all NOT_FOUND.
      const gone = errorCode(e) === 'NOT_FOUND';
      this.snack.open(gone ? this.transloco.translate('links.conversationGone') : errorMessage(e), 'OK');
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
